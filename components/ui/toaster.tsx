"use client";
import { Toaster as Sonner } from "sonner";

/** Toasts for the outcome of an action (saved, failed with the contract's message). One per page, bottom right. */
export function Toaster() {
  return <Sonner position="bottom-right" richColors closeButton duration={5000} toastOptions={{ className: "text-sm" }} />;
}
