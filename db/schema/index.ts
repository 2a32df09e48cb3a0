export * from "./_rls";
export * from "./tenants";
export * from "./sites";
export * from "./leads";
export * from "./system";
export * from "./intake";
