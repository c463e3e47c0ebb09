// Expand an iCalendar file with Mozilla ical.js (the library inside Thunderbird).
// Usage: node icaljs_expand.mjs FEED.ics FROM TO ; prints JSON [{uid, start, end, status}, …].
import fs from "node:fs";
import ICAL from "ical.js";

const [, , path, from, to] = process.argv;
const root = new ICAL.Component(ICAL.parse(fs.readFileSync(path, "utf8")));
for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const windowStart = ICAL.Time.fromJSDate(new Date(from), true);
const windowEnd = ICAL.Time.fromJSDate(new Date(to), true);

const moment = (time) => (time.isDate ? time.toString() : time.toJSDate().toISOString().replace(".000Z", "Z"));

// Relate overrides to their series by UID ourselves: otherwise every RECURRENCE-ID attaches everywhere.
const byUid = new Map();
for (const vevent of root.getAllSubcomponents("vevent")) {
  const uid = vevent.getFirstPropertyValue("uid");
  if (!byUid.has(uid)) byUid.set(uid, []);
  byUid.get(uid).push(vevent);
}

const found = [];
for (const [uid, components] of byUid) {
  const master = components.find((c) => !c.hasProperty("recurrence-id"));
  const overrides = components.filter((c) => c.hasProperty("recurrence-id"));
  const event = new ICAL.Event(master, { strictExceptions: true, exceptions: overrides });
  const push = (start, end, component) => {
    if (end.compare(windowStart) <= 0 || start.compare(windowEnd) >= 0) return;
    found.push({
      uid,
      start: moment(start),
      end: moment(end),
      status: component.getFirstPropertyValue("status") || "CONFIRMED",
      summary: component.getFirstPropertyValue("summary") || "",
    });
  };
  if (!event.isRecurring()) {
    push(event.startDate, event.endDate, master);
    continue;
  }
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    if (next.compare(windowEnd) >= 0) break;
    const details = event.getOccurrenceDetails(next);
    push(details.startDate, details.endDate, details.item.component);
  }
}
found.sort((a, b) => (a.start + a.uid < b.start + b.uid ? -1 : 1));
process.stdout.write(JSON.stringify(found));
