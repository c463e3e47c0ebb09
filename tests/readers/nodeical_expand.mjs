// Expand an iCalendar file with node-ical (strict about durations: every instance of a rule
// lasts exactly the master's DTEND − DTSTART, as RFC 5545 says).
// Usage: TZ=Europe/Paris node nodeical_expand.mjs FEED.ics FROM TO ; prints JSON like the others.
import ical from "node-ical";

const [, , path, from, to] = process.argv;
const windowStart = new Date(from);
const windowEnd = new Date(to);
const pad = (n) => String(n).padStart(2, "0");
const day = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const moment = (d, fullDay) => (fullDay ? day(d) : d.toISOString().replace(".000Z", "Z"));

const data = ical.sync.parseFile(path);
const found = [];
for (const event of Object.values(data)) {
  if (event.type !== "VEVENT") continue;
  const instances = ical.expandRecurringEvent(event, {
    from: windowStart,
    to: windowEnd,
    expandOngoing: true,
  });
  for (const instance of instances) {
    if (instance.end <= windowStart || instance.start >= windowEnd) continue;
    found.push({
      uid: event.uid,
      start: moment(instance.start, instance.isFullDay),
      end: moment(instance.end, instance.isFullDay),
      status: instance.event.status || "CONFIRMED",
      summary: String(instance.summary || ""),
    });
  }
}
found.sort((a, b) => (a.start + a.uid < b.start + b.uid ? -1 : 1));
process.stdout.write(JSON.stringify(found));
