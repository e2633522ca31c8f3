"""Training events: in-person workshops and webinars with sessions, places, registration, attendance and hours."""
