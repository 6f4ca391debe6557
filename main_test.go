package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// syncBuffer lets the test read what the server goroutine writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeWithDemo(t *testing.T) {
	dsn := dbtest.Fresh(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn}, out) }()

	urlRe := regexp.MustCompile(`running at (http://\S+)`)
	tokenRe := regexp.MustCompile(`agora_[A-Za-z0-9_-]{43}`)
	deadline := time.Now().Add(30 * time.Second)
	for !urlRe.MatchString(out.String()) || !tokenRe.MatchString(out.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("server did not start: %s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	base := urlRe.FindStringSubmatch(out.String())[1]
	token := tokenRe.FindString(out.String())

	res, err := http.Get(base + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()

	req, _ := http.NewRequest("GET", base+"/api/v1/questionnaires", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []struct {
			Code   string `json:"code"`
			Status string `json:"status"`
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	surveyRe := regexp.MustCompile(`(http://\S+/s/[A-Za-z0-9_-]{22})\n`)
	survey := surveyRe.FindStringSubmatch(out.String())
	if survey == nil {
		t.Fatalf("no survey link printed: %s", out.String())
	}
	res, err = http.Get(survey[1])
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("demo survey link: %v %v", res, err)
	}
	res.Body.Close()
	if len(list.Items) != 2 {
		t.Fatalf("demo questionnaires: %+v", list.Items)
	}
	for _, q := range list.Items {
		if q.Status != "published" {
			t.Errorf("demo questionnaire %s is %s", q.Code, q.Status)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no graceful shutdown")
	}

	// A second start keeps the data and prints a new working token.
	ctx2, cancel2 := context.WithCancel(context.Background())
	out2 := &syncBuffer{}
	go func() { done <- run(ctx2, []string{"--addr", "127.0.0.1:0", "--db", dsn}, out2) }()
	for !tokenRe.MatchString(out2.String()) {
		if time.Now().After(deadline.Add(30 * time.Second)) {
			t.Fatalf("second start: %s", out2.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if tokenRe.FindString(out2.String()) == token {
		t.Error("the demo token was not renewed")
	}
	cancel2()
	<-done
}

func TestUsersAndTokensCommands(t *testing.T) {
	dsn := dbtest.Fresh(t)
	ctx := context.Background()
	steps := []struct {
		args    []string
		wantErr string
		wantOut string
	}{
		{[]string{"migrate", "--db", dsn}, "", "schema at version"},
		{[]string{"users", "add", "--db", dsn, "--email", "fp@example.org", "--role", "focal_point", "--countries", "KEN,MEX"}, "", "(focal_point) KEN,MEX"},
		{[]string{"users", "add", "--db", dsn, "--email", "fp2@example.org", "--role", "focal_point"}, "a focal point needs at least one country", ""},
		{[]string{"users", "add", "--db", dsn, "--email", "x@example.org", "--role", "boss"}, "must be one of", ""},
		{[]string{"users", "list", "--db", dsn}, "", "fp@example.org"},
		{[]string{"tokens", "create", "--db", dsn, "--email", "fp@example.org"}, "", "agora_"},
		{[]string{"tokens", "create", "--db", dsn, "--email", "ghost@example.org"}, "no user with email", ""},
		{[]string{"tokens", "revoke", "--db", dsn, "--id", "1"}, "", "token 1 revoked"},
		{[]string{"demo", "--db", dsn}, "not empty", ""},
		{[]string{"frobnicate"}, "unknown command", ""},
	}
	for _, s := range steps {
		t.Run(strings.Join(s.args[:min(2, len(s.args))], " "), func(t *testing.T) {
			var out bytes.Buffer
			err := run(ctx, s.args, &out)
			if s.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), s.wantErr) {
					t.Fatalf("err = %v, want %q", err, s.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), s.wantOut) {
				t.Errorf("output %q, want %q", out.String(), s.wantOut)
			}
		})
	}
}
