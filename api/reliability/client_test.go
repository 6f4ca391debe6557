package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// loadConfig says how many simulated stakeholders there are, for how long
// they start new questionnaires, and which servers they talk to.
type loadConfig struct {
	clients  int
	duration time.Duration
	// targets are the servers' base URLs; requests alternate between them.
	targets []string
	// allowUnavailable accepts 503 answers with the documented body and
	// Retry-After, the promised answer while the database is down.
	allowUnavailable bool
	// runID keeps idempotency keys apart between runs on one database.
	runID string
}

// Bounds that keep a stakeholder from retrying forever.
const (
	requestTimeout = 15 * time.Second
	maxAttempts    = 400
	retryGrace     = 90 * time.Second // after the load's end, for retries to land
)

// simulator plays cfg.clients stakeholders, each taking the next unused
// personal link: open the questionnaire (half of them first as the survey
// page a browser shows), save drafts, sometimes give up on
// a submission half-way (a dropped connection), submit with an
// Idempotency-Key and retry until acknowledged, sometimes submit twice.
type simulator struct {
	cfg      loadConfig
	fx       *fixture
	client   *http.Client
	stats    *loadStats
	next     atomic.Int64 // the next stakeholder index
	deadline time.Time    // no new stakeholder starts after it
	hardStop time.Time    // no retry is sent after it
	wg       sync.WaitGroup
}

// startLoad starts the simulated stakeholders; wait returns their figures.
func startLoad(fx *fixture, cfg loadConfig) *simulator {
	now := time.Now()
	s := &simulator{
		cfg: cfg, fx: fx, stats: newLoadStats(now),
		client: &http.Client{Transport: &http.Transport{
			MaxIdleConnsPerHost: cfg.clients, MaxIdleConns: 4 * cfg.clients, IdleConnTimeout: 30 * time.Second,
		}},
		deadline: now.Add(cfg.duration),
		hardStop: now.Add(cfg.duration + retryGrace),
	}
	for c := range cfg.clients {
		s.wg.Add(1)
		go s.worker(uint64(c))
	}
	return s
}

// waitForAcks waits up to timeout for n acknowledged submissions, so that
// a fault injected next finds submissions both behind it and in flight.
func (s *simulator) waitForAcks(n int, timeout time.Duration) {
	_ = waitFor(timeout, func() error {
		if got := s.stats.ackCount(); got < n {
			return fmt.Errorf("%d acknowledged", got)
		}
		return nil
	})
}

// wait blocks until every stakeholder is done.
func (s *simulator) wait() *loadStats {
	s.wg.Wait()
	s.stats.end = time.Now()
	s.client.CloseIdleConnections()
	return s.stats
}

func (s *simulator) worker(seed uint64) {
	defer s.wg.Done()
	v := s.visitor(seed)
	for time.Now().Before(s.deadline) {
		i := int(s.next.Add(1)) - 1
		if i >= len(s.fx.tokens) {
			return
		}
		v.stakeholder(i)
	}
}

// visitor is one simulated client: its own random choices, and its own
// count of requests, so that each of its requests goes to the next target.
type visitor struct {
	*simulator
	rng  *rand.Rand
	sent int
}

func (s *simulator) visitor(seed uint64) *visitor {
	return &visitor{simulator: s, rng: rand.New(rand.NewPCG(seed, uint64(time.Now().UnixNano())))}
}

// receiptBody is the answer to a submission.
type receiptBody struct {
	Receipt  string `json:"receipt"`
	Replayed bool   `json:"replayed"`
}

// stakeholder plays stakeholder i from first visit to acknowledgement.
func (v *visitor) stakeholder(i int) {
	if v.rng.Float64() < 0.5 {
		if _, ok := v.call("page", http.MethodGet, "/s/"+v.fx.tokens[i], nil, "", http.StatusOK); !ok {
			return
		}
	}
	path := "/api/v1/responses/" + v.fx.tokens[i]
	if _, ok := v.call("load", http.MethodGet, path, nil, "", http.StatusOK); !ok {
		return
	}
	for step := range 1 + v.rng.IntN(3) {
		body := map[string]any{"answers": draft(i, step), "section": step % 2}
		if _, ok := v.call("save", http.MethodPut, path, body, "", http.StatusOK); !ok {
			return
		}
	}
	key := fmt.Sprintf("%s-%d", v.cfg.runID, i)
	body := map[string]any{"answers": answers(i)}
	if v.rng.Float64() < 0.25 {
		v.abandon(path+"/submit", body, key, time.Duration(1+v.rng.IntN(40))*time.Millisecond)
	}
	begin := time.Now()
	raw, ok := v.call("submit", http.MethodPost, path+"/submit", body, key, http.StatusCreated, http.StatusOK)
	if !ok {
		return
	}
	var r receiptBody
	if err := json.Unmarshal(raw, &r); err != nil || r.Receipt == "" {
		v.stats.unexpected("submit", 0, []byte(fmt.Sprintf("no receipt in %q", raw)))
		return
	}
	rows, err := v.fx.expectedRows(answers(i))
	if err != nil {
		v.stats.unexpected("submit", 0, []byte(err.Error()))
		return
	}
	v.stats.acked(ack{index: i, key: key, receipt: r.Receipt, rows: rows, at: time.Now()}, time.Since(begin))
	if r.Replayed {
		// An earlier attempt, hung up on or cut by a crash, had been saved.
		v.stats.add(func(st *loadStats) { st.savedUnanswered++ })
	}
	if v.rng.Float64() < 0.2 {
		v.resubmit(path, body, key, r.Receipt)
	}
	if v.rng.Float64() < 0.1 {
		v.reload(path, r.Receipt)
	}
}

// resubmit sends the same submission again, as a double click or a retry
// whose first answer was lost: it must get the first receipt back.
func (v *visitor) resubmit(path string, body any, key, receipt string) {
	raw, ok := v.call("resubmit", http.MethodPost, path+"/submit", body, key, http.StatusOK)
	if !ok {
		return
	}
	var r receiptBody
	if json.Unmarshal(raw, &r) != nil || r.Receipt != receipt || !r.Replayed {
		v.stats.unexpected("resubmit", http.StatusOK, []byte(fmt.Sprintf("want receipt %s replayed, got %s", receipt, raw)))
		return
	}
	v.stats.replayed()
}

// reload opens the questionnaire again after submitting, with the
// receipt code that opens a submitted response.
func (v *visitor) reload(path, receipt string) {
	raw, ok := v.call("reload", http.MethodGet, path, nil, "receipt:"+receipt, http.StatusOK)
	if !ok {
		return
	}
	var r struct {
		Status  string `json:"status"`
		Receipt string `json:"receipt"`
	}
	if json.Unmarshal(raw, &r) != nil || r.Status != "submitted" || r.Receipt != receipt {
		v.stats.unexpected("reload", http.StatusOK, []byte(fmt.Sprintf("want submitted with %s, got %.200s", receipt, raw)))
	}
}

// abandon sends a submission and hangs up after d, as a phone losing its
// signal does: the server may or may not have saved it.
func (v *visitor) abandon(path string, body any, key string, d time.Duration) {
	raw, _ := json.Marshal(body)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	_, _, _, _ = v.send(ctx, "abandoned", http.MethodPost, path, raw, key)
	v.stats.add(func(st *loadStats) { st.abandoned++ })
}

// call sends a request until it gets one of the wanted statuses, retrying
// what a careful client retries: connection failures and 503. Any other
// status is recorded as unexpected. key is the Idempotency-Key, or
// "receipt:CODE" for the X-Receipt of a submitted response.
func (v *visitor) call(op, method, path string, body any, key string, want ...int) ([]byte, bool) {
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	backoff := 25 * time.Millisecond
	for attempt := 0; attempt < maxAttempts && time.Now().Before(v.hardStop); attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		status, hdr, resp, err := v.send(ctx, op, method, path, raw, key)
		cancel()
		switch {
		case err != nil:
			v.stats.add(func(st *loadStats) { st.transport++ })
		case slices.Contains(want, status):
			return resp, true
		case status == http.StatusServiceUnavailable && unavailableAnswer(hdr, resp):
			v.stats.add(func(st *loadStats) { st.unavailable[op]++ })
			if !v.cfg.allowUnavailable {
				v.stats.unexpected(op, status, resp)
			}
		default:
			v.stats.unexpected(op, status, resp)
			return nil, false
		}
		// Retry-After asks for 5 s; the simulated clients come back sooner
		// so that the tests find out quickly when service is back.
		time.Sleep(backoff/2 + rand.N(backoff))
		backoff = min(2*backoff, time.Second)
	}
	v.stats.add(func(st *loadStats) { st.gaveUp[op]++ })
	return nil, false
}

// send makes one request to the next target.
func (v *visitor) send(ctx context.Context, op, method, path string, raw []byte, key string) (int, http.Header, []byte, error) {
	target := v.cfg.targets[v.sent%len(v.cfg.targets)]
	v.sent++
	var body io.Reader
	if raw != nil {
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, target+path, body)
	if err != nil {
		return 0, nil, nil, err
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	switch receipt, ok := strings.CutPrefix(key, "receipt:"); {
	case ok:
		req.Header.Set("X-Receipt", receipt)
	case key != "":
		req.Header.Set("Idempotency-Key", key)
	}
	begin := time.Now()
	res, err := v.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	resp, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, nil, err
	}
	v.stats.answered(op, target, res.StatusCode, time.Since(begin))
	return res.StatusCode, res.Header, resp, nil
}

// unavailableAnswer tells the documented 503 apart from any other: with
// Retry-After, and the "unavailable" error of the API or a page.
func unavailableAnswer(hdr http.Header, raw []byte) bool {
	if hdr.Get("Retry-After") == "" {
		return false
	}
	if strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		return true
	}
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	return json.Unmarshal(raw, &e) == nil && e.Error.Code == "unavailable"
}
