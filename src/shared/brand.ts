/** A nominal type: a value of T that was checked once and carries its meaning. */
export type Brand<T, Name extends string> = T & { readonly __brand: Name };
