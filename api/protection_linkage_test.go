package api_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/unodc-csu/agora/api/apitest"
	"github.com/unodc-csu/agora/forms"
)

// linkageStakeholders is how many stakeholders answer the anonymous
// consultation of the linkage attack.
const linkageStakeholders = 32

// TestLinkageAttack plays the attacker of an anonymous consultation: 32
// NGOs (one type, one language, so that neither tells them apart) open
// their links and save a draft in the order they were invited, then submit
// in a shuffled order, each naming itself in its Idempotency-Key. Acting
// as an admin with every output (the invitations, the summary with its
// texts, the consultation workbook) and a dump of every table (in stored
// order and by id), the test pairs invitations with responses by every
// order it can build and counts how many pairs are right. A pairing by
// chance gets one right on average: an order no key decides (random ids,
// rows as the database placed them) fails at 7, which chance reaches 1
// time in 12,000; an order the attacker can rebuild every time fails at 4.
func TestLinkageAttack(t *testing.T) {
	env := newTestEnv(t)
	qid := env.DeployDemo()
	rec := env.Do("admin", "POST", "/api/v1/consultations", map[string]any{
		"questionnaire_id": qid, "country": "KEN", "title": "Anonymous", "anonymity": "anonymous", "min_cell_size": 5, "languages": []string{"en"}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	cid := apitest.Decode[consultationBody](t, rec).ID
	ids := make([]uint, linkageStakeholders)
	for i := range ids {
		ids[i] = env.Stakeholder(fmt.Sprintf("Org %02d", i), "ngo", "KEN")
	}
	rec = env.Do("admin", "POST", fmt.Sprintf("/api/v1/consultations/%d/invitations", cid), map[string]any{"stakeholder_ids": ids})
	issued := apitest.Decode[struct {
		Items []struct {
			InvitationID  uint   `json:"invitation_id"`
			StakeholderID uint   `json:"stakeholder_id"`
			Token         string `json:"token"`
		}
	}](t, rec).Items
	if rec.Code != http.StatusCreated || len(issued) != linkageStakeholders {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	slices.SortFunc(issued, func(a, b struct {
		InvitationID  uint   `json:"invitation_id"`
		StakeholderID uint   `json:"stakeholder_id"`
		Token         string `json:"token"`
	}) int {
		return int(a.InvitationID) - int(b.InvitationID)
	})
	// The truth: invitation i's stakeholder answers q_years = i.
	truth := map[uint]int{}
	for i, l := range issued {
		truth[l.InvitationID] = i
		path := "/api/v1/responses/" + l.Token
		if rec := env.Do("", "GET", path, nil); rec.Code != http.StatusOK {
			t.Fatalf("open: %d", rec.Code)
		}
		if rec := env.Do("", "PUT", path, map[string]any{"answers": map[string]any{"q_org_type": "ngo"}}); rec.Code != http.StatusOK {
			t.Fatalf("draft: %d %s", rec.Code, rec.Body)
		}
	}
	order := shuffledOrder(linkageStakeholders)
	for _, i := range order {
		answers := map[string]any{"q_org_type": "ngo", "q_areas": []string{"tip"}, "q_years": i, "q_priorities": []string{"tip", "som"},
			"q_priorities_why": fmt.Sprintf("Because of case %02d", i), "q_coop": 4, "q_channels": []string{"meetings"}, "q_problems": fmt.Sprintf("Problem %02d", i)}
		rec := env.DoRequest("POST", "/api/v1/responses/"+issued[i].Token+"/submit", map[string]any{"answers": answers},
			map[string]string{"Idempotency-Key": fmt.Sprintf("stakeholder-%02d", i)})
		if rec.Code != http.StatusCreated {
			t.Fatalf("submit %d: %d %s", i, rec.Code, rec.Body)
		}
		time.Sleep(2 * time.Millisecond) // submissions a little apart, as in life
	}

	// What is stored must join nothing directly.
	checkAnonymousStorage(t, env, cid)

	a := linkageAttacker{t: t, env: env, cid: cid, truth: truth}
	a.collect()
	if testing.Verbose() {
		for _, o := range a.invitationOrders() {
			t.Logf("invitations %s: %v", o.name, o.ids)
		}
		for _, o := range a.responseOrders() {
			t.Logf("responses %s: %v", o.name, o.ids)
		}
		t.Logf("submission order: %v", order)
	}
	for _, inv := range a.invitationOrders() {
		for _, resp := range a.responseOrders() {
			right := a.score(inv.ids, resp.ids)
			limit := 4
			if resp.random || inv.random {
				limit = 7
			}
			if right >= limit {
				t.Errorf("invitations %s paired with responses %s: %d of %d right (limit %d)", inv.name, resp.name, right, linkageStakeholders, limit)
			}
			t.Logf("invitations %s × responses %s: %d right", inv.name, resp.name, right)
		}
	}
}

// shuffledOrder is the order of submission: a seeded shuffle, so that the
// test is the same every time, with no stakeholder in its invitation's
// place.
func shuffledOrder(n int) []int {
	for seed := uint64(1); ; seed++ {
		order := rand.New(rand.NewPCG(seed, 15)).Perm(n)
		fixed := 0
		for i, v := range order {
			if i == v {
				fixed++
			}
		}
		if fixed == 0 {
			return order
		}
	}
}

// checkAnonymousStorage asserts what the tables hold of an anonymous
// consultation: no response tied to an invitation, no time finer than the
// day, no language, no client's submission id as sent, no visitor's
// address.
func checkAnonymousStorage(t *testing.T, env *testEnv, cid uint) {
	t.Helper()
	var responses []forms.Response
	env.DB.Where("consultation_id = ?", cid).Find(&responses)
	for _, r := range responses {
		day := func(v time.Time) bool { return v.Equal(v.Truncate(24 * time.Hour)) }
		switch {
		case r.InvitationID != nil || r.Language != "" || r.Section != 0:
			t.Errorf("response %d keeps invitation %v, language %q, section %d", r.ID, r.InvitationID, r.Language, r.Section)
		case !day(r.CreatedAt) || !day(r.UpdatedAt) || r.SubmittedAt == nil || !day(*r.SubmittedAt):
			t.Errorf("response %d keeps times finer than the day: %v %v %v", r.ID, r.CreatedAt, r.UpdatedAt, r.SubmittedAt)
		case r.SubmissionID != nil && strings.Contains(*r.SubmissionID, "stakeholder-"):
			t.Errorf("response %d keeps the client's submission id %q", r.ID, *r.SubmissionID)
		case r.ID < 1<<40:
			t.Errorf("response %d has an id of the sequence", r.ID)
		}
	}
	var invs []forms.Invitation
	env.DB.Where("consultation_id = ?", cid).Find(&invs)
	for _, i := range invs {
		for name, v := range map[string]*time.Time{"opened": i.OpenedAt, "started": i.StartedAt, "submitted": i.SubmittedAt} {
			if v == nil || !v.Equal(v.Truncate(24*time.Hour)) {
				t.Errorf("invitation %d: %s at %v", i.ID, name, v)
			}
		}
	}
	var ips int64
	env.DB.Table("invitations").Where("visitor_ip IS NOT NULL").Count(&ips)
	if ips != 0 {
		t.Errorf("%d visitors' addresses kept", ips)
	}
}

// linkageAttacker holds what an admin can read of a consultation.
type linkageAttacker struct {
	t     *testing.T
	env   *testEnv
	cid   uint
	truth map[uint]int // invitation → the q_years its stakeholder gave
	// years is each response's q_years, the attacker's key to score with.
	years map[uint]int
	// apiInvitations is the API's list order; texts the summary's order of
	// q_problems; workbookRows and workbookTexts the workbook's orders,
	// as the q_years each position holds.
	apiInvitations             []uint
	texts, sheetRows, sheetTxt []int
}

// ordering is one order of invitations or responses the attacker builds.
type ordering struct {
	name string
	ids  []uint // invitations, or responses by their q_years' truth
	// random is set for orders that no key decides: random ids, or where
	// the database places rows (which PostgreSQL changes as it updates
	// them in place).
	random bool
}

func (a *linkageAttacker) collect() {
	t, env := a.t, a.env
	a.years = map[uint]int{}
	var rows []struct {
		ResponseID uint
		Number     float64
	}
	env.DB.Raw(`SELECT response_id, number FROM answers WHERE consultation_id = ? AND question_code = 'q_years'`, a.cid).Scan(&rows)
	for _, r := range rows {
		a.years[r.ResponseID] = int(r.Number)
	}
	list := apitest.Decode[struct{ Items []forms.InvitationRow }](t, env.Do("admin", "GET", fmt.Sprintf("/api/v1/consultations/%d/invitations", a.cid), nil))
	for _, it := range list.Items {
		a.apiInvitations = append(a.apiInvitations, it.ID)
	}
	sum := apitest.Decode[struct {
		Questions []struct {
			Code  string
			Texts []struct{ Text string }
		}
	}](t, env.Do("admin", "GET", fmt.Sprintf("/api/v1/consultations/%d/summary?texts=1000", a.cid), nil))
	for _, q := range sum.Questions {
		if q.Code == "q_problems" {
			for _, tx := range q.Texts {
				a.texts = append(a.texts, numberIn(tx.Text))
			}
		}
	}
	f := a.workbook()
	defer f.Close()
	sheet, _ := f.GetRows("Responses")
	col := slices.Index(sheet[1], "q_years")
	for _, r := range sheet[2:] {
		n, _ := strconv.Atoi(r[col])
		a.sheetRows = append(a.sheetRows, n)
	}
	open, _ := f.GetRows("Open answers")
	for _, r := range open[1:] {
		// A text under several themes is listed under each: its first
		// place counts.
		if len(r) > 6 && strings.HasPrefix(r[6], "Problem ") && !slices.Contains(a.sheetTxt, numberIn(r[6])) {
			a.sheetTxt = append(a.sheetTxt, numberIn(r[6]))
		}
	}
	if len(a.years) != linkageStakeholders || len(a.texts) != linkageStakeholders || len(a.sheetRows) != linkageStakeholders || len(a.sheetTxt) != linkageStakeholders {
		t.Fatalf("outputs: %d responses, %d texts, %d rows, %d texts in the workbook", len(a.years), len(a.texts), len(a.sheetRows), len(a.sheetTxt))
	}
}

// workbook is the consultation workbook an admin downloads.
func (a *linkageAttacker) workbook() *excelize.File {
	rec := a.env.Do("admin", "POST", "/api/v1/exports", map[string]any{"kind": "consultation", "consultation_id": a.cid})
	job := apitest.Decode[apitest.ExportJob](a.t, rec)
	a.env.RunExports()
	rec = a.env.Do("admin", "GET", fmt.Sprintf("/api/v1/exports/%d/file", job.ID), nil)
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		a.t.Fatalf("workbook: %d %v", rec.Code, err)
	}
	return f
}

// numberIn reads the two digits that end a text such as "Problem 07".
func numberIn(s string) int {
	n, _ := strconv.Atoi(s[len(s)-2:])
	return n
}

// invitationOrders are the orders of the invitations an admin can build:
// by id, by each time kept (ties by id), in the API's list, as stored.
func (a *linkageAttacker) invitationOrders() []ordering {
	out := []ordering{{name: "in the API's list", ids: a.apiInvitations}}
	for _, by := range []string{"id", "opened_at, id", "started_at, id", "submitted_at, id", "created_at, id"} {
		out = append(out, ordering{name: "by " + by, ids: a.column("SELECT id FROM invitations WHERE consultation_id = ? ORDER BY " + by)})
	}
	out = append(out, ordering{name: "as stored", ids: a.column("SELECT id FROM invitations WHERE consultation_id = ?"), random: true})
	return out
}

// responseOrders are the orders of the responses an admin can build, each
// as the invitations they would pair with: position k holds the q_years
// of the k-th response, which is the index of its true invitation.
func (a *linkageAttacker) responseOrders() []ordering {
	byYears := func(name string, years []int, random bool) ordering {
		o := ordering{name: name, random: random}
		for _, y := range years {
			o.ids = append(o.ids, uint(y))
		}
		return o
	}
	fromIDs := func(name, q string, random bool) ordering {
		var years []int
		for _, id := range a.column(q) {
			years = append(years, a.years[id])
		}
		return byYears(name, years, random)
	}
	const resp = "SELECT id FROM responses WHERE consultation_id = ?"
	return []ordering{
		fromIDs("by id", resp+" ORDER BY id", true),
		fromIDs("by created_at", resp+" ORDER BY created_at, id", true),
		fromIDs("by updated_at", resp+" ORDER BY updated_at, id", true),
		fromIDs("by submitted_at", resp+" ORDER BY submitted_at, id", true),
		fromIDs("as stored", resp, true),
		fromIDs("by their first answer's id", "SELECT response_id FROM answers WHERE consultation_id = ? GROUP BY response_id ORDER BY MIN(id)", false),
		fromIDs("by their hidden questions as stored", "SELECT DISTINCT response_id FROM hidden_questions WHERE consultation_id = ?", true),
		byYears("in the summary's texts", a.texts, false),
		byYears("in the workbook's Responses sheet", a.sheetRows, true),
		byYears("in the workbook's open answers", a.sheetTxt, false),
	}
}

// column reads one column of ids with the consultation as the parameter.
func (a *linkageAttacker) column(q string) []uint {
	var ids []uint
	if err := a.env.DB.Raw(q, a.cid).Scan(&ids).Error; err != nil {
		a.t.Fatalf("%s: %v", q, err)
	}
	return ids
}

// score pairs the k-th invitation with the k-th response and counts the
// pairs that are right.
func (a *linkageAttacker) score(invs, years []uint) int {
	right := 0
	for k := range min(len(invs), len(years)) {
		if a.truth[invs[k]] == int(years[k]) {
			right++
		}
	}
	return right
}
