/** The signed-out pages' frame (login, first password): the brand, a title, a line or two, the form, a footer. */
export function AuthCard({ title, subtitle, extra, footer, children }: { title: string; subtitle: string; extra?: React.ReactNode; footer: React.ReactNode; children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-blue-50 to-gray-100 p-4">
      <div className="w-full max-w-sm rounded-xl border border-gray-200 bg-white p-8 shadow-sm">
        <div className="mb-6 space-y-1">
          <p className="text-sm font-semibold tracking-wide text-blue-700">LeadFlow</p>
          <h1 className="text-xl font-semibold text-gray-900">{title}</h1>
          <p className="text-sm text-gray-500">{subtitle}</p>
          {extra}
        </div>
        {children}
        {footer}
      </div>
    </main>
  );
}
