import type { Role } from "@/db/schema/enums";
import "next-auth";

declare module "next-auth" {
  interface User {
    tenantId?: string | null;
    role?: Role | null;
  }
  interface Session {
    tenantId: string | null;
    role: Role | null;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    uid?: string;
    tenantId?: string | null;
    role?: Role | null;
  }
}
