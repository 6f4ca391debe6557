package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/audit"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

func TestRecordAndList(t *testing.T) {
	ctx := context.Background()
	log := audit.New(dbtest.Open(t))
	one := uint(1)
	events := []audit.Event{
		{ActorID: &one, ActorEmail: "admin@example.org", Action: audit.LoginSucceeded, ObjectType: "user", ObjectID: "1", IP: "10.0.0.1"},
		{ActorID: &one, ActorEmail: "admin@example.org", Action: audit.UserCreate, ObjectType: "user", ObjectID: "2", IP: "10.0.0.1"},
		{ActorEmail: "x@example.org", Action: audit.LoginFailed, ObjectType: "user", IP: "10.0.0.2"},
		{ActorID: &one, ActorEmail: "admin@example.org", Action: audit.TokenRevoke, ObjectType: "token", ObjectID: "7", Country: "KEN", IP: "10.0.0.1"},
	}
	for _, e := range events {
		if err := log.Record(ctx, e, map[string]string{"why": "<script>alert(1)</script>"}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		f    audit.Filter
		want []string
	}{
		{"all, newest first", audit.Filter{}, []string{audit.TokenRevoke, audit.LoginFailed, audit.UserCreate, audit.LoginSucceeded}},
		{"by email", audit.Filter{Actor: "X@example.org"}, []string{audit.LoginFailed}},
		{"by id", audit.Filter{Actor: "1"}, []string{audit.TokenRevoke, audit.UserCreate, audit.LoginSucceeded}},
		{"by action", audit.Filter{Action: audit.UserCreate}, []string{audit.UserCreate}},
		{"by family", audit.Filter{Action: "user."}, []string{audit.UserCreate}},
		{"family wildcard is literal", audit.Filter{Action: "%."}, nil},
		{"injection is a value", audit.Filter{Actor: "' OR 1=1 --"}, nil},
		{"from the future", audit.Filter{From: time.Now().Add(time.Hour)}, nil},
		{"to the past", audit.Filter{To: time.Now().Add(-time.Hour)}, nil},
		{"limit", audit.Filter{Limit: 1}, []string{audit.TokenRevoke}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := log.List(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d events, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, e := range got {
				if e.Action != tt.want[i] {
					t.Errorf("event %d is %s, want %s", i, e.Action, tt.want[i])
				}
				if e.At.IsZero() || e.Details != `{"why":"\u003cscript\u003ealert(1)\u003c/script\u003e"}` {
					t.Errorf("event %d: at %v details %q", i, e.At, e.Details)
				}
			}
		})
	}
}
