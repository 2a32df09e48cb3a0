import type { ComponentProps } from "react";

const base =
  "block rounded-md border border-gray-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-gray-400 focus:border-blue-500 focus:outline-none focus:ring-2 focus:ring-blue-200";

export function Input({ className = "", ...props }: ComponentProps<"input">) {
  return <input className={`${base} w-full ${className}`} {...props} />;
}

export function Select({ className = "", ...props }: ComponentProps<"select">) {
  return <select className={`${base} ${className}`} {...props} />;
}
