package forms

// Who may learn what about the respondents of a consultation, by role and
// anonymity mode. docs/protection.md draws the same model as a table; this
// file is where the code asks it. Every output (API answers, pages,
// workbooks) takes its decisions from an Access, so that one rule holds
// everywhere.

// The staff roles, as the protection model names its parties (the
// accounts package gives them to users).
const (
	RoleAdmin      = "admin"       // the CSU: everything, every country
	RoleAnalyst    = "analyst"     // the CSU: reads everything
	RoleFocalPoint = "focal_point" // a government: its own countries
)

// MinCellFloor is the smallest minimum group size a consultation may set:
// below three, a group's figures describe one or two organizations.
const MinCellFloor = 3

// Access is what one staff role may learn about the respondents of one
// consultation.
type Access struct {
	Role string
	Mode string // the consultation's anonymity mode
}

// AccessTo is the access of role to consultation c.
func AccessTo(role string, c *Consultation) Access { return Access{Role: role, Mode: c.Anonymity} }

// Identities tells whether the role may see who said what: the
// organization beside a text, a row per named response. In named
// consultations every staff member of the country may; in confidential
// ones the CSU's admins, to follow up; in anonymous ones nobody.
func (a Access) Identities() bool {
	switch a.Mode {
	case AnonymityNamed:
		return true
	case AnonymityConfidential:
		return a.Role == RoleAdmin
	}
	return false
}

// Rows tells whether the role may read the responses row by row (the
// consultation workbook's Responses sheet). Besides those who see
// identities, admins may in anonymous consultations, where the rows carry
// no identity, no time and no order.
func (a Access) Rows() bool {
	return a.Identities() || (a.Role == RoleAdmin && a.Mode == AnonymityAnonymous)
}

// Statuses tells whether the role may see each invitation's status (not
// opened, draft, submitted): whether a given organization took part.
// Admins may, to follow up; others only in named consultations.
func (a Access) Statuses() bool { return a.Role == RoleAdmin || a.Mode == AnonymityNamed }

// Times tells whether the role may see when each invitation was opened,
// started and submitted. Never finer than the day in anonymous
// consultations, where the store keeps no finer time.
func (a Access) Times() bool { return a.Statuses() }

// Unsuppressed tells whether the role sees every group however small:
// admins, in named and confidential consultations. Everyone else sees the
// figures of a group only when it reaches the minimum size.
func (a Access) Unsuppressed() bool {
	return a.Role == RoleAdmin && a.Mode != AnonymityAnonymous
}

// Links tells whether the role may hold personal links: issue, re-issue,
// revoke, email and download them. Only the CSU's admins: a government
// must not be able to reach a stakeholder's answers, nor quietly exclude a
// critical organization.
func (a Access) Links() bool { return a.Role == RoleAdmin }
