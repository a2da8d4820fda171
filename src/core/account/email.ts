/** RFC 5321 caps the local part at 64 octets; LAR and most mail servers refuse anything longer. */
export const MAX_LOCAL_PART = 64;

// RFC 5322 dot-atom for the local part, and ordinary host names with an alphabetic TLD for the domain.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const TAG = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

export function addressProblem(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return 'is not an email address (expected local@domain)';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!LOCAL_PART.test(local)) return "has a local part that is not a plain dot-atom (letters, digits, dots and !#$%&'*+/=?^_`{|}~-)";
  if (local.length > MAX_LOCAL_PART) return `has a local part of ${local.length} characters; the limit is ${MAX_LOCAL_PART}`;
  if (!DOMAIN.test(domain)) return 'has a domain that is not a valid host name';
  return undefined;
}

export function tagProblem(tag: string): string | undefined {
  return TAG.test(tag) ? undefined : 'may hold only letters, digits, "-", "_" and single dots inside';
}

/** `qa@x` + `t` gives `qa+t@x`; `qa+ci@x` + `t` gives `qa+ci-t@x`: one mailbox, and the existing tag keeps its meaning. */
export function plusAddress(base: string, tag: string): string | undefined {
  const at = base.lastIndexOf('@');
  const local = base.slice(0, at);
  const tagged = local.includes('+') ? `${local}-${tag}` : `${local}+${tag}`;
  return tagged.length > MAX_LOCAL_PART ? undefined : `${tagged}${base.slice(at)}`;
}
