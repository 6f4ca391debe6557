package reliability

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// TestTwoInstances runs two servers over one PostgreSQL database, each
// request of each stakeholder going to the other server than the one
// before: drafts saved on one are submitted on the other, retries land
// anywhere. No submission may be lost or doubled; an API token issued once
// is honoured, then refused once revoked, by both; a login on one is a
// session on the other, until it ends.
func TestTwoInstances(t *testing.T) {
	requirePostgres(t)
	requireLong(t)
	duration := envSeconds("AGORA_SOAK_SECONDS", 15*time.Second)
	fx := newFixture(t, dbtest.Fresh(t), int(duration.Seconds())*250)
	// Two pools of 15 leave PostgreSQL's connections to the other tests.
	a := startAgora(t, "agora-a", fx.dsn, "AGORA_DB_MAX_CONNS=15")
	b := startAgora(t, "agora-b", fx.dsn, "AGORA_DB_MAX_CONNS=15")
	checkTokenOnBoth(t, fx, a.URL(), b.URL())
	checkLoginOnBoth(t, fx, a.URL(), b.URL())

	stats := startLoad(fx, loadConfig{clients: 64, duration: duration, targets: []string{a.URL(), b.URL()}, runID: runID(t)}).wait()
	t.Logf("two instances, 64 clients: %s", stats.summary())
	expectCleanRun(t, stats)
	for _, srv := range []*agoraProc{a, b} {
		if stats.perTarget[srv.URL()] == 0 {
			t.Errorf("%s served no request", srv.name)
		}
	}
	st := load(t, fx.db, fx)
	st.checkAcks(t, stats.acksBefore(time.Now()))
	st.checkIntegrity(t)
	t.Logf("stored: %d responses, %d submitted; requests by instance %v", len(st.responses), st.submitted(), stats.perTarget)
	checkExportsOnBoth(t, fx, a.URL(), b.URL())
}

// checkTokenOnBoth issues a staff token and reads the consultation with it
// from both instances, then revokes it and expects both to refuse it.
func checkTokenOnBoth(t *testing.T, fx *fixture, urls ...string) {
	t.Helper()
	ctx := context.Background()
	acc := accounts.NewStore(fx.db)
	if _, err := acc.AddUser(ctx, accounts.NewUser{Email: "csu@example.org", Role: accounts.RoleAnalyst}); err != nil {
		t.Fatal(err)
	}
	secret, tok, err := acc.CreateToken(ctx, "csu@example.org", "reliability", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/consultations/%d", fx.consultation.ID)
	for _, u := range urls {
		if code := getStatus(t, u+path, secret); code != http.StatusOK {
			t.Errorf("%s: token answered %d, want 200", u, code)
		}
	}
	if err := acc.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	for _, u := range urls {
		if code := getStatus(t, u+path, secret); code != http.StatusUnauthorized {
			t.Errorf("%s: revoked token answered %d, want 401", u, code)
		}
	}
}

// checkLoginOnBoth logs in with a password on the first instance and reads
// the consultation with the session cookie from every instance; once the
// session has ended, none accepts it.
func checkLoginOnBoth(t *testing.T, fx *fixture, urls ...string) {
	t.Helper()
	ctx := context.Background()
	acc := accounts.NewStore(fx.db)
	const email, password = "focal@example.org", "a long enough pass-phrase"
	u, err := acc.AddUser(ctx, accounts.NewUser{Email: email, Role: accounts.RoleAnalyst})
	if err != nil {
		t.Fatal(err)
	}
	if err := acc.SetPassword(ctx, u.ID, password); err != nil {
		t.Fatal(err)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.PostForm(urls[0]+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var session string
	for _, c := range res.Cookies() {
		if c.Name == "agora_session" {
			session = c.Value
		}
	}
	if res.StatusCode != http.StatusSeeOther || session == "" {
		t.Fatalf("login on %s: %d, session cookie %t", urls[0], res.StatusCode, session != "")
	}
	path := fmt.Sprintf("/api/v1/consultations/%d", fx.consultation.ID)
	for _, base := range urls {
		if code := getStatus(t, base+path, "", session); code != http.StatusOK {
			t.Errorf("%s: the session from %s answered %d, want 200", base, urls[0], code)
		}
	}
	if err := acc.EndSession(ctx, session); err != nil {
		t.Fatal(err)
	}
	for _, base := range urls {
		if code := getStatus(t, base+path, "", session); code != http.StatusUnauthorized {
			t.Errorf("%s: an ended session answered %d, want 401", base, code)
		}
	}
}

// getStatus sends a GET with a bearer token or a session cookie and
// returns its status.
func getStatus(t *testing.T, url, token string, session ...string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, s := range session {
		req.AddCookie(&http.Cookie{Name: "agora_session", Value: s})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
