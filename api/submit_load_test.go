package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/api"
	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// The submission load benchmarks measure complete 30-answer submissions
// from loadClients concurrent clients, over HTTP through the whole stack,
// beside a bare loop that inserts the same rows straight into the database
// with the same concurrency: the database's own limit. Run them on
// PostgreSQL:
//
//	TEST_DATABASE_URL=postgres://... go test ./api -run '^$' -bench SubmitLoad -benchtime 1x
const (
	loadClients     = 32
	loadSubmissions = 3200
)

// loadDefinition has 30 questions: ten single choices, ten integers, ten
// texts.
func loadDefinition() *forms.Definition {
	en := func(s string) forms.Text { return forms.Text{"en": s} }
	sec := forms.Section{Code: "s", Title: en("Load")}
	for i := 1; i <= 10; i++ {
		sec.Questions = append(sec.Questions,
			forms.Question{Code: fmt.Sprintf("c%d", i), Type: forms.TypeSingleChoice, Label: en("Choice"), Required: true,
				Options: []forms.Option{{Code: "a", Label: en("A")}, {Code: "b", Label: en("B")}, {Code: "c", Label: en("C")}}},
			forms.Question{Code: fmt.Sprintf("n%d", i), Type: forms.TypeInteger, Label: en("Number")},
			forms.Question{Code: fmt.Sprintf("t%d", i), Type: forms.TypeText, Label: en("Text")})
	}
	return &forms.Definition{Code: "load", Kind: forms.KindOther, DefaultLanguage: "en", Languages: []string{"en"},
		Title: en("Load"), Sections: []forms.Section{sec}}
}

func loadAnswers(i int) map[string]any {
	a := map[string]any{}
	for q := 1; q <= 10; q++ {
		a[fmt.Sprintf("c%d", q)] = []string{"a", "b", "c"}[(i+q)%3]
		a[fmt.Sprintf("n%d", q)] = i % 100
		a[fmt.Sprintf("t%d", q)] = "An answer of moderate length, as stakeholders write."
	}
	return a
}

// loadFixture deploys the load questionnaire with n personal links.
func loadFixture(b *testing.B, db *gorm.DB, store *forms.Store, n int) (*forms.Consultation, []string) {
	ctx := context.Background()
	q, err := store.CreateQuestionnaire(ctx, loadDefinition(), nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := store.PublishQuestionnaire(ctx, q.ID); err != nil {
		b.Fatal(err)
	}
	c, err := store.CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{QuestionnaireID: q.ID, Country: "KEN", Title: "Load"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	tokens := make([]string, n)
	invs := make([]forms.Invitation, n)
	for i := range tokens {
		tokens[i], _ = forms.NewToken()
		invs[i] = forms.Invitation{ConsultationID: c.ID, OpenVisit: true, DeclaredType: "ngo", TokenHash: forms.TokenHash(tokens[i]), Language: "en"}
	}
	if err := db.CreateInBatches(invs, 500).Error; err != nil {
		b.Fatal(err)
	}
	return c, tokens
}

func BenchmarkSubmitLoad(b *testing.B) {
	if !dbtest.Postgres() {
		b.Skip("the load benchmark runs on PostgreSQL: set TEST_DATABASE_URL")
	}
	b.Run("http", benchSubmitHTTP)
	b.Run("bare", benchSubmitBare)
}

func benchSubmitHTTP(b *testing.B) {
	for range b.N {
		b.StopTimer()
		db := dbtest.Open(b)
		srv := api.New(api.Config{RatePerMinute: 1 << 30}, db)
		_, tokens := loadFixture(b, db, srv.Forms(), loadSubmissions)
		ts := httptest.NewServer(srv.Handler())
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadClients}}
		b.StartTimer()

		latencies, acked := runClients(b, len(tokens), func(i int) bool {
			body, _ := json.Marshal(map[string]any{"answers": loadAnswers(i)})
			req, _ := http.NewRequest("POST", ts.URL+"/api/v1/responses/"+tokens[i]+"/submit", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", fmt.Sprintf("load-%d", i))
			res, err := client.Do(req)
			if err != nil {
				return false
			}
			// Read the answer whole, as a browser does, so that the
			// connection is kept alive for the next submission.
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			return res.StatusCode == http.StatusCreated
		})

		b.StopTimer()
		report(b, latencies)
		var responses, answers int64
		db.Table("responses").Where("status = ?", forms.ResponseSubmitted).Count(&responses)
		db.Table("answers").Count(&answers)
		if responses != acked || answers != acked*30 {
			b.Fatalf("acknowledged %d, stored %d responses and %d answers (want %d)", acked, responses, answers, acked*30)
		}
		ts.Close()
	}
}

func benchSubmitBare(b *testing.B) {
	for range b.N {
		b.StopTimer()
		db := dbtest.Open(b)
		store := forms.NewStore(db)
		c, _ := loadFixture(b, db, store, 0)
		form, err := store.Form(context.Background(), c.QuestionnaireID)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		latencies, _ := runClients(b, loadSubmissions, func(i int) bool {
			clean, _ := form.Check(forms.Answers(loadAnswers(i)), true)
			return bareInsert(db, c, form, clean) == nil
		})
		b.StopTimer()
		report(b, latencies)
	}
}

// bareInsert writes one response and its answer rows in a transaction, with
// nothing else: no link lookup, no idempotency, no HTTP.
func bareInsert(db *gorm.DB, c *forms.Consultation, f *forms.Form, clean forms.Answers) error {
	return db.Transaction(func(tx *gorm.DB) error {
		now := time.Now()
		r := &forms.Response{ConsultationID: c.ID, QuestionnaireID: c.QuestionnaireID, CountryISO3: c.CountryISO3,
			StakeholderType: "ngo", Language: "en", Status: forms.ResponseSubmitted, Draft: "{}", SubmittedAt: &now}
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		flat := f.Flatten(clean)
		given := map[string]int{}
		for _, a := range flat {
			given[a.QuestionCode]++
		}
		rows := make([]forms.Answer, len(flat))
		for i, a := range flat {
			rows[i] = forms.Answer{ResponseID: r.ID, ConsultationID: c.ID, QuestionnaireID: r.QuestionnaireID, QuestionCode: a.QuestionCode,
				OptionCode: a.OptionCode, Number: a.Number, Text: a.Text, RowsGiven: given[a.QuestionCode], StakeholderType: r.StakeholderType}
		}
		return tx.Create(&rows).Error
	})
}

// runClients runs n jobs over loadClients goroutines and returns each
// successful job's latency and the number of successes.
func runClients(b *testing.B, n int, job func(i int) bool) ([]time.Duration, int64) {
	var (
		next, ok atomic.Int64
		mu       sync.Mutex
		lat      = make([]time.Duration, 0, n)
		wg       sync.WaitGroup
	)
	start := time.Now()
	for range loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t0 := time.Now()
				if job(i) {
					d := time.Since(t0)
					ok.Add(1)
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(ok.Load())/time.Since(start).Seconds(), "submissions/s")
	return lat, ok.Load()
}

func report(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		b.Fatal("no successful submission")
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
