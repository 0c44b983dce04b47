// Owns building the optional Auth0 reads of the event handling from one set of credentials:
// account linking (user events) and the member state (organization events), one token.
import { createAuth0Reader } from "./auth0-reader.js";
import { createLinkLookup, type LinkLookupOptions } from "./link-lookup.js";
import { createMemberLookup } from "./member-lookup.js";

export function createAuth0Lookups(link: LinkLookupOptions | undefined, organizations: boolean) {
  if (!link) return {};
  const reader = createAuth0Reader(link);
  return {
    findPrimary: createLinkLookup(link, reader),
    ...(organizations ? { memberLookup: createMemberLookup(link, reader) } : {}),
  };
}
