package httpkit

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// Assets are the static files of the pages (style sheets, the workspace's
// one script), embedded in the binary, each served with its fingerprint,
// compressed when the client accepts gzip. The survey pages and the
// workspace each add their own.
type Assets struct {
	files map[string]*asset
}

// asset is one static file, with its type, fingerprint and compressed form.
type asset struct {
	body, gzip []byte
	hash, typ  string
}

// NewAssets returns an empty set.
func NewAssets() *Assets { return &Assets{files: map[string]*asset{}} }

// Add adds the file name with its content type.
func (a *Assets) Add(name string, body []byte, typ string) {
	sum := sha256.Sum256(body)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	a.files[name] = &asset{body: body, gzip: gz.Bytes(), hash: hex.EncodeToString(sum[:6]), typ: typ}
}

// Path is the fingerprinted address of the file name, which can then be
// cached for a year.
func (a *Assets) Path(name string) string {
	if f, ok := a.files[name]; ok {
		return "/static/" + name + "?v=" + f.hash
	}
	return "/static/" + name
}

// Serve answers a request for the static file name.
func (a *Assets) Serve(w http.ResponseWriter, req *http.Request, name string) {
	f, ok := a.files[strings.TrimPrefix(name, "/")]
	if !ok {
		http.NotFound(w, req)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.typ)
	h.Set("Vary", "Accept-Encoding")
	if req.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	etag := `"` + f.hash + `"`
	h.Set("ETag", etag)
	if req.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if strings.Contains(req.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = f.gzip
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if req.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}
