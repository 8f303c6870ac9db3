/** Drops omitted fields (undefined); keeps explicit nulls, which mean "clear this field". */
export const withoutUndefined = <T extends object>(input: T) =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));

/** Drops omitted and null fields, for inputs whose fields cannot be cleared. */
export const withoutNullish = <T extends object>(input: T) =>
  Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== null && value !== undefined),
  );
