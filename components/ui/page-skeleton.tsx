/** The loading state of a page that waits for its data on the server. */
export function PageSkeleton() {
  return (
    <div className="space-y-3" aria-busy="true">
      <div className="h-7 w-48 animate-pulse rounded bg-gray-200" />
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="h-12 animate-pulse rounded-md bg-gray-200/70" />
      ))}
    </div>
  );
}
