package web

// CSRF is the CSRF token of the forms of the link token, for tests that
// post as a page would.
func (s *Survey) CSRF(token string) string { return s.csrfToken(token) }

// OpenVisitsPerHour bounds the personal links one address may take from
// an open link.
const OpenVisitsPerHour = openVisitsPerHour
