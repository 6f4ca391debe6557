package api_test

import (
	"testing"

	"github.com/unodc-csu/agora/api"
	"github.com/unodc-csu/agora/api/apitest"
)

// testEnv is the test server of apitest, with this package's own helpers.
type testEnv struct{ *apitest.Env }

func newTestEnv(t *testing.T) *testEnv { return &testEnv{apitest.New(t)} }

// newTestEnvWith starts a server whose test configuration configure
// changes first.
func newTestEnvWith(t *testing.T, configure func(*api.Config)) *testEnv {
	return &testEnv{apitest.NewWith(t, configure)}
}
