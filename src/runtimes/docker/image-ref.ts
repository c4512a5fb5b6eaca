// Image references: the tag a pull asks for, and compose's name for an image msdev builds.

/** The reference as pulled: a bare name (`redis`, `ghcr.io/a/b`) gets `:latest`; a tag or digest is kept. */
export function withDefaultTag(ref: string): string {
  if (ref.includes('@')) return ref;
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  return name.includes(':') ? ref : `${ref}:latest`;
}

/**
 * compose's name for the image built for a service, `<project>-<service>`, made a valid Docker
 * repository name: lowercase, only [a-z0-9._-], separators single (a run of dashes stays), none at the ends.
 */
export function builtImageName(project: string, service: string): string {
  const cleaned = `${project}-${service}`
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    // A run of separators is valid only as dashes alone or as exactly `__`: anything else becomes one dash.
    .replace(/[._-]{2,}/g, (run) => (/^-+$/.test(run) || run === '__' ? run : '-'))
    .replace(/^[._-]+|[._-]+$/g, '');
  return cleaned === '' ? 'msdev-image' : cleaned;
}
