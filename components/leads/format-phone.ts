import { parsePhoneNumberFromString } from "libphonenumber-js/min";

/** A stored phone (E.164 when it parsed at intake) as people of its country write it: +7 916 123-45-67. */
export function formatPhone(phone: string): string {
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed?.isValid()) return phone;
  if (parsed.countryCallingCode === "7") {
    const n = parsed.nationalNumber;
    if (n.length === 10) return `+7 ${n.slice(0, 3)} ${n.slice(3, 6)}-${n.slice(6, 8)}-${n.slice(8)}`;
  }
  return parsed.formatInternational();
}
