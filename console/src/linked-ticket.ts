// R-W7: an over-SLA mail links each ticket as /console/unit?ticket=<number>. The number is kept in the
// tab (sessionStorage) as the console loads, so that it survives the sign-in on the provider's page,
// and the unit dashboard opens that ticket once, then forgets it.
const KEY = 'apkt-console-linked-ticket';
const TICKET_NUMBER = /^[GK]\d{13}$/;

/** At load: the `?ticket=` of the address, kept for the dashboard. */
export function keepLinkedTicket(): void {
  const number = new URLSearchParams(window.location.search).get('ticket');
  if (number && TICKET_NUMBER.test(number)) sessionStorage.setItem(KEY, number);
}

/** The ticket a link asked for (null when none); forgetLinkedTicket once it is open. */
export const linkedTicket = (): string | null => sessionStorage.getItem(KEY);

export const forgetLinkedTicket = (): void => sessionStorage.removeItem(KEY);
