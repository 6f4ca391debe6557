package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/accounts"
)

// checkExportsOnBoth asks for consultation exports, each on one instance in
// turn, and follows each on the other one: every job must end done, claimed
// by one runner of the shared queue (the claim is a conditional UPDATE, with
// FOR UPDATE SKIP LOCKED on PostgreSQL), and its workbook must be served by
// the instance that did not take the request.
func checkExportsOnBoth(t *testing.T, fx *fixture, urls ...string) {
	t.Helper()
	const users, jobs = 6, 12
	tokens := staffTokens(t, fx, users)
	type asked struct {
		id    uint
		token string
	}
	var all []asked
	for i := range jobs {
		// A job is reused only for its own requester and parameters: each
		// user and format makes a job of its own.
		body := map[string]any{"kind": "consultation", "consultation_id": fx.consultation.ID, "codes": i >= users}
		var job struct {
			ID uint `json:"id"`
		}
		if code := staffJSON(t, http.MethodPost, urls[i%len(urls)]+"/api/v1/exports", tokens[i%users], body, &job); code != http.StatusAccepted {
			t.Fatalf("export request %d answered %d", i, code)
		}
		all = append(all, asked{job.ID, tokens[i%users]})
	}
	for i, a := range all {
		other := urls[(i+1)%len(urls)]
		err := waitFor(3*time.Minute, func() error {
			var job struct {
				Status string `json:"status"`
			}
			staffJSON(t, http.MethodGet, fmt.Sprintf("%s/api/v1/exports/%d", other, a.id), a.token, nil, &job)
			if job.Status != "done" {
				return fmt.Errorf("export %d is %q", a.id, job.Status)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var file []byte
		if code := staffJSON(t, http.MethodGet, fmt.Sprintf("%s/api/v1/exports/%d/file", other, a.id), a.token, nil, &file); code != http.StatusOK || !bytes.HasPrefix(file, []byte("PK")) {
			t.Errorf("export %d from %s: %d, %d bytes; want a workbook", a.id, other, code, len(file))
		}
	}
	var claims []struct {
		ClaimedBy string
		N         int
	}
	if err := fx.db.Table("export_jobs").Select("claimed_by, COUNT(*) AS n").Where("status = ?", "done").Group("claimed_by").Scan(&claims).Error; err != nil {
		t.Fatal(err)
	}
	done := 0
	for _, c := range claims {
		done += c.N
	}
	if done != jobs {
		t.Errorf("%d of %d exports done: %+v", done, jobs, claims)
	}
	// Which runner takes which job is a race; both usually take some.
	t.Logf("exports: %d jobs done, by runner %+v", done, claims)
}

// staffTokens makes n analysts and returns an API token for each.
func staffTokens(t *testing.T, fx *fixture, n int) []string {
	t.Helper()
	out := make([]string, n)
	for i := range out {
		out[i] = staffToken(t, fx, fmt.Sprintf("analyst%d@example.org", i), accounts.RoleAnalyst)
	}
	return out
}

// staffToken makes a staff member with role over countries and returns an
// API token of theirs, valid an hour.
func staffToken(t *testing.T, fx *fixture, email, role string, countries ...string) string {
	t.Helper()
	ctx := context.Background()
	acc := accounts.NewStore(fx.db)
	if _, err := acc.AddUser(ctx, accounts.NewUser{Email: email, Role: role, Countries: countries}); err != nil {
		t.Fatal(err)
	}
	secret, _, err := acc.CreateToken(ctx, email, "reliability", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// staffJSON sends an authenticated request and decodes the answer into
// out: JSON, or the raw bytes when out is a *[]byte.
func staffJSON(t *testing.T, method, url, token string, body, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		r = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, url, r)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := out.(*[]byte); ok {
		*b = raw
	} else if out != nil {
		_ = json.Unmarshal(raw, out)
	}
	return res.StatusCode
}
