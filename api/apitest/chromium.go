package apitest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium finds the browser for the end-to-end tests: Debian's chromium,
// which .ci/run installs. Without it the tests skip, except in CI.
func Chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; .ci/run installs Debian's chromium package")
	}
	t.Skip("chromium is not installed (apt-get install chromium): skipping the browser test")
	return ""
}

// NewBrowser starts a headless Chromium for t, with the flags that keep it
// from calling out of this machine.
func NewBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := Chromium(t)
	// Not t.TempDir: Chromium may still be writing its profile while it
	// exits, which would fail the test in cleanup; the folder is removed on
	// a best-effort basis instead.
	profile, err := os.MkdirTemp("", "agora-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(390, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	return ctx
}

// Press clicks the submit button with the given action and waits until
// the page it posts to has replaced this one (see ClickAndWait).
func Press(action string) chromedp.Action {
	return ClickAndWait(`button[name="action"][value="` + action + `"]`)
}

// ClickAndWait clicks sel and waits until the page it leads to has
// replaced this one: a mark set on the old window is gone, and the new
// document is loaded.
func ClickAndWait(sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var ignored bool
		if err := chromedp.Run(ctx,
			chromedp.Evaluate(`window.__agoraOld = true`, &ignored),
			chromedp.Click(sel, chromedp.ByQuery),
		); err != nil {
			return err
		}
		for {
			var loaded bool
			err := chromedp.Run(ctx, chromedp.Evaluate(`window.__agoraOld === undefined && document.readyState === "complete"`, &loaded))
			if err == nil && loaded {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// Radio ticks the radio button of name with value.
func Radio(name, value string) chromedp.Action {
	return chromedp.Click(`input[name="`+name+`"][value="`+value+`"]`, chromedp.ByQuery)
}
