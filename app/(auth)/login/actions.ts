"use server";
import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth";

export type LoginState = { error?: "invalid" | "throttled" | "error"; email?: string };

function safeCallback(url: FormDataEntryValue | null): string {
  const s = typeof url === "string" ? url : "";
  // Only same-site paths: never an open redirect.
  return s.startsWith("/") && !s.startsWith("//") ? s : "/leads";
}

export async function login(_prev: LoginState, form: FormData): Promise<LoginState> {
  const email = String(form.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: String(form.get("password") ?? ""),
      redirectTo: safeCallback(form.get("callbackUrl")),
    });
    return {};
  } catch (e) {
    // next-auth signals success with a redirect, which travels as an error: let it through.
    if (e instanceof AuthError) {
      const code = (e as AuthError & { code?: string }).code;
      if (e.type === "CredentialsSignin") return { error: code === "throttled" ? "throttled" : "invalid", email };
      return { error: "error", email };
    }
    throw e;
  }
}
