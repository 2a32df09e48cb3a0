// A not-found page must answer 404, so only pages that cannot 404 get a streaming loading state.
export { PageSkeleton as default } from "@/components/ui/page-skeleton";
