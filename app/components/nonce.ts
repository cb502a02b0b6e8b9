import { createContext, useContext } from "react";

/** The CSP nonce of the current server render; empty in the browser, which hides it anyway. */
export const NonceContext = createContext("");

/** The CSP nonce for inline scripts and styles. */
export function useNonce(): string {
  return useContext(NonceContext);
}
