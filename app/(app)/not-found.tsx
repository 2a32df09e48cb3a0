import { NotFoundMessage } from "@/components/ui/not-found-message";

// notFound() inside the signed-in area (another tenant's lead, a deleted one): the (app) layout
// already wraps this in its <main>.
export default function NotFound() {
  return <NotFoundMessage />;
}
