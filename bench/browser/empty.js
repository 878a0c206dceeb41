// The baseline of the import cost: a module that does nothing.
export const nothing = 0;
