"""The calendar engine: rules, occurrence rows, iCalendar output and feeds."""
