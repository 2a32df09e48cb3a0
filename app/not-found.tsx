import { NotFoundMessage } from "@/components/ui/not-found-message";

// An address that matches no page: the root layout has no <main>, so this page brings its own.
export default function NotFound() {
  return (
    <main>
      <NotFoundMessage />
    </main>
  );
}
