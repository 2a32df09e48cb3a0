export * from "./_rls";
export * from "./enums";
export * from "./tenants";
export * from "./sites";
export * from "./leads";
export * from "./system";
export * from "./intake";
export * from "./imports";
