package apitest

import (
	"context"

	"github.com/unodc-csu/agora/exports"
)

// ExportJob is an export job as the API shows it.
type ExportJob struct {
	ID       uint   `json:"id"`
	Status   string `json:"status"`
	Progress int    `json:"progress"`
	Reused   bool   `json:"reused"`
	FileURL  string `json:"file_url"`
}

// RunExports runs the queued export jobs as a server's runner would.
func (e *Env) RunExports() {
	e.T.Helper()
	r := exports.NewRunner(e.DB, e.Server.Analysis())
	for {
		ran, err := r.RunOnce(context.Background())
		if err != nil {
			e.T.Fatal(err)
		}
		if !ran {
			return
		}
	}
}
