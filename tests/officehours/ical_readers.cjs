// Read .ics files with ical.js and node-ical, and print what each reader understood as JSON:
//   node ical_readers.cjs <node_modules dir> <file.ics>...
// → {"<file>": {"ical.js": {calendar, events}, "node-ical": {calendar, events}}}; instants in UTC (ISO 8601).
// A reader that throws reports {"error": "..."} for that file instead of failing the others.
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const [modules, ...files] = process.argv.slice(2);
const load = createRequire(path.join(path.resolve(modules), "noop.js"));
const ICAL = load("ical.js");
const nodeIcal = load("node-ical");

// ical.js does not know X-WR-CALNAME (a common extension) is TEXT; clients that show it unescape it.
ICAL.design.icalendar.property["x-wr-calname"] = { defaultType: "text" };

const utc = (date) => (date instanceof Date && !isNaN(date) ? date.toISOString() : null);

function cnOf(value) {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return null;
  return value.params && value.params.CN !== undefined ? String(value.params.CN) : null;
}

function textOf(value) {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : String(value.val ?? value);
}

function readIcalJs(text) {
  const root = new ICAL.Component(ICAL.parse(text));
  // Times with a TZID are converted with the calendar's own VTIMEZONE definitions, as clients do.
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  const events = root.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const attendees = vevent.getAllProperties("attendee").map((p) => p.getParameter("cn") ?? null);
    const organizer = vevent.getFirstProperty("organizer");
    return {
      uid: event.uid,
      sequence: vevent.getFirstPropertyValue("sequence"),
      status: vevent.getFirstPropertyValue("status"),
      start: utc(event.startDate.toJSDate()),
      end: utc(event.endDate.toJSDate()),
      summary: event.summary ?? null,
      description: event.description ?? null,
      location: event.location ?? null,
      organizer_cn: organizer ? organizer.getParameter("cn") ?? null : null,
      attendee_cns: attendees,
    };
  });
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.remove(vtimezone.getFirstPropertyValue("tzid"));
  }
  return {
    calendar: {
      method: root.getFirstPropertyValue("method") ?? null,
      name: root.getFirstPropertyValue("x-wr-calname") ?? null,
    },
    events,
  };
}

function readNodeIcal(text) {
  const parsed = nodeIcal.sync.parseICS(text);
  const calendar = { method: null, name: null };
  const events = [];
  for (const item of Object.values(parsed)) {
    if (item.type === "VCALENDAR") {
      calendar.method = textOf(item.method);
      calendar.name = textOf(item["WR-CALNAME"]);
    }
    if (item.type !== "VEVENT") continue;
    const attendees = item.attendee === undefined ? [] : [].concat(item.attendee);
    events.push({
      uid: item.uid,
      sequence: item.sequence === undefined ? null : Number(item.sequence),
      status: item.status ?? null,
      start: utc(item.start),
      end: utc(item.end),
      summary: textOf(item.summary),
      description: textOf(item.description),
      location: textOf(item.location),
      organizer_cn: cnOf(item.organizer),
      attendee_cns: attendees.map(cnOf),
    });
  }
  return { calendar, events };
}

const readers = { "ical.js": readIcalJs, "node-ical": readNodeIcal };
const out = {};
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  out[file] = {};
  for (const [name, read] of Object.entries(readers)) {
    try {
      out[file][name] = read(text);
    } catch (error) {
      out[file][name] = { error: String(error && error.stack ? error.stack : error) };
    }
  }
}
process.stdout.write(JSON.stringify(out));
