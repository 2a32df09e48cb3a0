"use server";
import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth";
import { safeCallbackPath } from "@/lib/auth/callback";

export type LoginState = { error?: "invalid" | "throttled" | "error"; email?: string };

export async function login(_prev: LoginState, form: FormData): Promise<LoginState> {
  const email = String(form.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: String(form.get("password") ?? ""),
      redirectTo: safeCallbackPath(form.get("callbackUrl")),
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
