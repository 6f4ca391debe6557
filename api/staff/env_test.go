package staff_test

import (
	"testing"

	"github.com/unodc-csu/agora/api/apitest"
)

// testEnv is the test server of apitest, with this package's own helpers.
type testEnv struct{ *apitest.Env }

func newTestEnv(t *testing.T) *testEnv { return &testEnv{apitest.New(t)} }
