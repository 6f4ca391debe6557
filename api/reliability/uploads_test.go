package reliability

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/accounts"
	"github.com/unodc-csu/agora/forms/database/dbtest"
	"github.com/unodc-csu/agora/forms/xlsxlimit/xlsxtest"
)

// Bounds of TestHostileUploads, from the issue that found the problem.
const (
	hostileAnswerWithin = 5 * time.Second
	hostilePeakRSS      = 300 << 20
	normalAnswerWithin  = 2 * time.Second
	// settledRSS is what the server may keep resident once the uploads are
	// answered: a server that has served nothing takes about 30 MB.
	settledRSS = 100 << 20
)

// upload is a file posted to an import endpoint, and what came back.
type upload struct {
	name, path, token, filename string
	data                        []byte
	want                        string // in the body of the answer
	heavy                       bool   // read whole: not a refusal, and slower

	status int
	body   []byte
	took   time.Duration
	err    error
}

// send posts the file as the multipart field "file".
func (u *upload) send(base string, timeout time.Duration) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", u.filename)
	_, _ = fw.Write(u.data)
	_ = mw.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+u.path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+u.token)
	begin := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err == nil {
		u.status = res.StatusCode
		u.body, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	u.took, u.err = time.Since(begin), err
}

// hostileFiles builds the workbooks of the issue: a table of millions of
// shared strings, a million rows, and a gigabyte of zeros, honest about
// its size or lying about it, each posted to both importers; and a heavy
// registry within the limits, read whole, whose memory must go back to the
// system afterwards.
func hostileFiles(t *testing.T, admin, focal string) []*upload {
	t.Helper()
	bomb, err := xlsxtest.SharedStringsBomb(3_500_000) // 60 MB unpacked, as the XLSForm of the issue
	if err != nil {
		t.Fatal(err)
	}
	rows, err := xlsxtest.ManyRows(1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	honest, err := xlsxtest.ZipBomb("xl/worksheets/sheet1.xml", 1<<30, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	liar, err := xlsxtest.ZipBomb("xl/worksheets/sheet1.xml", 1<<30, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	const registry, xlsform = "/api/v1/stakeholders/import", "/api/v1/questionnaires/import"
	heavy, err := heavyRegistry(10_000)
	if err != nil {
		t.Fatal(err)
	}
	return []*upload{
		{name: "a heavy registry within the limits", path: registry, token: focal, data: heavy, want: `"skipped":10000`, heavy: true},
		{name: "shared strings to the registry", path: registry, token: focal, data: bomb, want: "shared strings hold more than"},
		{name: "shared strings as an XLSForm", path: xlsform, token: admin, data: bomb, want: "shared strings hold more than"},
		{name: "a million rows to the registry", path: registry, token: focal, data: rows, want: "rows (limit"},
		{name: "a million rows as an XLSForm", path: xlsform, token: admin, data: rows, want: "rows (limit"},
		{name: "1 GB declared, to the registry", path: registry, token: focal, data: honest, want: "unpacks to"},
		{name: "1 GB behind a lying size, as an XLSForm", path: xlsform, token: admin, data: liar, want: "not a valid zip"},
	}
}

// TestHostileUploads posts the hostile workbooks all at once while a
// client goes on asking for /healthz and the registry: each hostile upload
// must be refused with the limit it exceeds within 5 s, the server's peak
// resident memory must stay under 300 MB, the normal requests must be
// answered meanwhile, and the memory must go back to the system afterwards.
func TestHostileUploads(t *testing.T) {
	requireLong(t)
	if _, _, err := memoryOf(os.Getpid()); err != nil {
		t.Skipf("cannot measure memory: %v", err)
	}
	fx := newFixture(t, dbtest.Fresh(t), 0)
	admin := staffToken(t, fx, "admin@example.org", accounts.RoleAdmin)
	focal := staffToken(t, fx, "focal@example.org", accounts.RoleFocalPoint, "KEN")
	uploads := hostileFiles(t, admin, focal)
	for _, u := range uploads {
		u.filename = "registry.xlsx"
	}
	srv := startAgora(t, "agora", fx.dsn)
	pid := srv.pid()
	before, _, _ := memoryOf(pid)

	stop := make(chan struct{})
	normal := startNormalClient(srv.URL(), focal, stop)
	time.Sleep(200 * time.Millisecond) // the client is under way before the first upload
	begin := time.Now()
	var wg sync.WaitGroup
	for _, u := range uploads {
		wg.Go(func() { u.send(srv.URL(), time.Minute) })
	}
	wg.Wait()
	window := time.Since(begin)
	close(stop)
	n := normal.wait()

	_, peak, err := memoryOf(pid)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range uploads {
		t.Logf("%s (%d KB): %d in %v: %.160s", u.name, len(u.data)>>10, u.status, u.took.Round(time.Millisecond), u.body)
		switch {
		case u.err != nil:
			t.Errorf("%s: %v", u.name, u.err)
		case u.heavy && (u.status != http.StatusOK || !bytes.Contains(u.body, []byte(u.want))):
			t.Errorf("%s: answered %d %.300s; want 200 saying %q", u.name, u.status, u.body, u.want)
		case u.heavy:
		case u.status != http.StatusUnprocessableEntity || !bytes.Contains(u.body, []byte(u.want)):
			t.Errorf("%s: answered %d %.300s; want 422 saying %q", u.name, u.status, u.body, u.want)
		case u.took > hostileAnswerWithin:
			t.Errorf("%s: answered after %v, more than %v", u.name, u.took, hostileAnswerWithin)
		}
	}
	t.Logf("uploads answered within %v; meanwhile %d normal requests, slowest %v; resident memory %d MB before, peak %d MB",
		window.Round(time.Millisecond), n.answered, n.slowest.Round(time.Millisecond), before>>20, peak>>20)
	if peak > hostilePeakRSS {
		t.Errorf("the server's resident memory peaked at %d MB, more than %d MB", peak>>20, hostilePeakRSS>>20)
	}
	if n.problem != "" {
		t.Errorf("normal requests: %s", n.problem)
	}
	if n.during == 0 {
		t.Errorf("no normal request was answered while the uploads were under way")
	}
	checkMemorySettles(t, pid)
}

// heavyRegistry is a registry workbook of rows stakeholders whose 20 cells
// each show one rich-text shared string: excelize copies it out for every
// cell, so reading it takes tens of megabytes. Every row's type is wrong:
// the import reads it all and stores nothing.
func heavyRegistry(rows int) ([]byte, error) {
	header := `<row r="1"><c t="inlineStr"><is><t>Organization</t></is></c><c t="inlineStr"><is><t>Type</t></is></c>` +
		`<c t="inlineStr"><is><t>Country</t></is></c></row>`
	row := `<row>` + strings.Repeat(`<c t="s"><v>0</v></c>`, 20) + `</row>`
	return xlsxtest.Book{
		Sheets:        []xlsxtest.Sheet{{Name: "Registry", Rows: xlsxtest.Repeat(1, header+strings.Repeat(row, rows))}},
		SharedStrings: xlsxtest.Repeat(1, `<si><r><rPr><b/></rPr><t>`+strings.Repeat("y", 100)+`</t></r></si>`),
	}.Bytes()
}

// checkMemorySettles waits up to 10 s for the server's resident memory to
// fall under settledRSS: what the uploads took must go back to the system.
func checkMemorySettles(t *testing.T, pid int) {
	t.Helper()
	var rss int64
	err := waitFor(10*time.Second, func() error {
		var err error
		if rss, _, err = memoryOf(pid); err != nil {
			return err
		}
		if rss > settledRSS {
			return fmt.Errorf("resident memory %d MB, more than %d MB", rss>>20, settledRSS>>20)
		}
		return nil
	})
	if err != nil {
		t.Errorf("after the uploads: %v", err)
	}
	t.Logf("resident memory after the uploads: %d MB", rss>>20)
}

// normalClient asks for /healthz and the registry's first page, one after
// the other, until stopped: what any other user does meanwhile.
type normalClient struct {
	done     chan struct{}
	answered int
	during   int // answered after the first second's requests, i.e. during the uploads
	slowest  time.Duration
	problem  string
}

func startNormalClient(base, token string, stop <-chan struct{}) *normalClient {
	n := &normalClient{done: make(chan struct{})}
	go func() {
		defer close(n.done)
		start := time.Now()
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, path := range []string{"/healthz", "/api/v1/stakeholders?limit=5"} {
				begin := time.Now()
				status, err := getWithToken(base+path, token)
				took := time.Since(begin)
				n.slowest = max(n.slowest, took)
				switch {
				case err != nil:
					n.problem = fmt.Sprintf("GET %s: %v", path, err)
				case status != http.StatusOK:
					n.problem = fmt.Sprintf("GET %s answered %d", path, status)
				case took > normalAnswerWithin:
					n.problem = fmt.Sprintf("GET %s took %v", path, took)
				default:
					n.answered++
					if begin.Sub(start) > 200*time.Millisecond {
						n.during++
					}
				}
			}
		}
	}()
	return n
}

// wait returns the client's figures once it has stopped.
func (n *normalClient) wait() *normalClient {
	<-n.done
	return n
}

// getWithToken sends an authenticated GET and returns its status.
func getWithToken(url, token string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// TestUploadFigures measures, one at a time on a fresh server each, the two
// uploads the issue reported: a registry workbook of 11 million shared
// strings, and an XLSForm of 3.5 million. It records their time and the
// server's peak memory for docs/RELIABILITY.md; only with
// AGORA_UPLOAD_FIGURES=1.
func TestUploadFigures(t *testing.T) {
	if os.Getenv("AGORA_UPLOAD_FIGURES") == "" {
		t.Skip("set AGORA_UPLOAD_FIGURES=1 to measure the hostile uploads one by one")
	}
	fx := newFixture(t, dbtest.Fresh(t), 0)
	admin := staffToken(t, fx, "admin@example.org", accounts.RoleAdmin)
	focal := staffToken(t, fx, "focal@example.org", accounts.RoleFocalPoint, "KEN")
	for _, tc := range []struct {
		name, path, token string
		entries           int
	}{
		{"registry, 11 M shared strings", "/api/v1/stakeholders/import", focal, 11_000_000},
		{"XLSForm, 3.5 M shared strings", "/api/v1/questionnaires/import", admin, 3_500_000},
	} {
		data, err := xlsxtest.SharedStringsBomb(tc.entries)
		if err != nil {
			t.Fatal(err)
		}
		srv := startAgora(t, "agora", fx.dsn)
		u := &upload{name: tc.name, path: tc.path, token: tc.token, filename: "bomb.xlsx", data: data}
		u.send(srv.URL(), 10*time.Minute)
		_, peak, _ := memoryOf(srv.pid())
		time.Sleep(5 * time.Second)
		rss, _, _ := memoryOf(srv.pid())
		t.Logf("%s (%d KB): %d after %.2f s, peak %d MB, %d MB resident 5 s later: %.200s",
			tc.name, len(data)>>10, u.status, u.took.Seconds(), peak>>20, rss>>20, strings.TrimSpace(string(u.body)))
		if u.err != nil || u.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, %v", tc.name, u.status, u.err)
		}
		srv.stop()
	}
}
