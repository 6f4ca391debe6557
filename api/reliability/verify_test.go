package reliability

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms"
)

// stored is what the database holds of the fixture's consultation.
type stored struct {
	fx           *fixture
	byInvitation map[uint][]forms.Response
	responses    []forms.Response
	rows         map[uint]int // answer rows by response
	orphans      int64        // answer rows of no response
	submittedInv map[uint]bool
}

// load reads the consultation's responses and answer counts from db, which
// may be the servers' database or a backup of it.
func load(t *testing.T, db *gorm.DB, fx *fixture) *stored {
	t.Helper()
	st := &stored{fx: fx, byInvitation: map[uint][]forms.Response{}, rows: map[uint]int{}, submittedInv: map[uint]bool{}}
	if err := db.Where("consultation_id = ?", fx.consultation.ID).Find(&st.responses).Error; err != nil {
		t.Fatalf("read responses: %v", err)
	}
	for _, r := range st.responses {
		if r.InvitationID != nil {
			st.byInvitation[*r.InvitationID] = append(st.byInvitation[*r.InvitationID], r)
		}
	}
	var counts []struct {
		ResponseID uint
		N          int
	}
	if err := db.Model(&forms.Answer{}).Select("response_id, COUNT(*) AS n").Group("response_id").Scan(&counts).Error; err != nil {
		t.Fatalf("count answers: %v", err)
	}
	for _, c := range counts {
		st.rows[c.ResponseID] = c.N
	}
	if err := db.Model(&forms.Answer{}).Where("response_id NOT IN (SELECT id FROM responses)").Count(&st.orphans).Error; err != nil {
		t.Fatalf("count orphan answers: %v", err)
	}
	var invs []forms.Invitation
	if err := db.Where("consultation_id = ? AND submitted_at IS NOT NULL", fx.consultation.ID).Find(&invs).Error; err != nil {
		t.Fatalf("read invitations: %v", err)
	}
	for _, inv := range invs {
		st.submittedInv[inv.ID] = true
	}
	return st
}

// problems collects what is wrong, reporting the first few in full.
type problems struct {
	n     int
	first []string
}

func (p *problems) add(format string, args ...any) {
	p.n++
	if len(p.first) < 15 {
		p.first = append(p.first, fmt.Sprintf(format, args...))
	}
}

func (p *problems) report(t *testing.T, what string) {
	t.Helper()
	if p.n > 0 {
		t.Errorf("%s: %d problem(s):\n  %s", what, p.n, strings.Join(p.first, "\n  "))
	}
}

// checkAcks verifies that every acknowledged submission is stored, as
// submitted, under its receipt and idempotency key, with all its answers.
func (st *stored) checkAcks(t *testing.T, acks []ack) {
	t.Helper()
	var p problems
	for _, a := range acks {
		got := st.byInvitation[st.fx.invitations[a.index]]
		if len(got) != 1 {
			p.add("stakeholder %d (receipt %s): %d responses stored", a.index, a.receipt, len(got))
			continue
		}
		r := got[0]
		switch {
		case r.Status != forms.ResponseSubmitted:
			p.add("stakeholder %d: acknowledged with %s, stored as %s", a.index, a.receipt, r.Status)
		case r.Receipt == nil || *r.Receipt != a.receipt:
			p.add("stakeholder %d: acknowledged with %s, stored receipt %v", a.index, a.receipt, deref(r.Receipt))
		case r.SubmissionID == nil || *r.SubmissionID != a.key:
			p.add("stakeholder %d: submission id %v, sent %s", a.index, deref(r.SubmissionID), a.key)
		case st.rows[r.ID] != a.rows:
			p.add("stakeholder %d: %d answer rows stored, %d submitted", a.index, st.rows[r.ID], a.rows)
		}
	}
	p.report(t, "acknowledged submissions")
}

// checkIntegrity verifies what must hold whatever the clients saw: one
// response per invitation at most; no submitted response without all the
// answer rows of its answers; no answer rows for a draft or for nothing.
func (st *stored) checkIntegrity(t *testing.T) {
	t.Helper()
	var p problems
	for inv, rs := range st.byInvitation {
		if len(rs) > 1 {
			p.add("invitation %d has %d responses", inv, len(rs))
		}
	}
	if st.orphans > 0 {
		p.add("%d answer rows belong to no response", st.orphans)
	}
	for _, r := range st.responses {
		n := st.rows[r.ID]
		if r.Status != forms.ResponseSubmitted {
			if n != 0 {
				p.add("draft response %d has %d answer rows", r.ID, n)
			}
			continue
		}
		if r.Receipt == nil || r.SubmittedAt == nil || n == 0 {
			p.add("submitted response %d is incomplete: receipt %v, submitted at %v, %d answer rows", r.ID, deref(r.Receipt), r.SubmittedAt, n)
			continue
		}
		if r.InvitationID == nil || !st.submittedInv[*r.InvitationID] {
			p.add("submitted response %d: its invitation is not marked submitted", r.ID)
		}
		if r.Pending {
			continue // a draft saved after submitting: the rows are the submission's
		}
		want, err := st.fx.expectedRows(r.Answers())
		if err != nil || want != n {
			p.add("submitted response %d: %d answer rows for answers that make %d (%v)", r.ID, n, want, err)
		}
	}
	p.report(t, "stored responses")
}

// submitted counts the submitted responses.
func (st *stored) submitted() int {
	n := 0
	for _, r := range st.responses {
		if r.Status == forms.ResponseSubmitted {
			n++
		}
	}
	return n
}

func deref(s *string) string {
	if s == nil {
		return "<none>"
	}
	return *s
}

// unmarshal decodes JSON, refusing an empty body.
func unmarshal(raw []byte, v any) error {
	if len(raw) == 0 {
		return fmt.Errorf("empty body")
	}
	return json.Unmarshal(raw, v)
}
