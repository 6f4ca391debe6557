package database_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/database"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

func TestLease(t *testing.T) {
	db := dbtest.Open(t)
	ctx := context.Background()

	first, ok, err := database.AcquireLease(ctx, db, "mail:1", time.Minute)
	if err != nil || !ok {
		t.Fatalf("first acquire: %v %v", ok, err)
	}
	if _, ok, err := database.AcquireLease(ctx, db, "mail:1", time.Minute); err != nil || ok {
		t.Errorf("a second holder took a held lease: %v %v", ok, err)
	}
	if _, ok, err := database.AcquireLease(ctx, db, "mail:2", time.Minute); err != nil || !ok {
		t.Errorf("another name is free: %v %v", ok, err)
	}
	if err := first.Renew(ctx); err != nil {
		t.Errorf("renew: %v", err)
	}
	if err := first.Release(ctx); err != nil {
		t.Fatal(err)
	}
	second, ok, err := database.AcquireLease(ctx, db, "mail:1", time.Minute)
	if err != nil || !ok {
		t.Fatalf("acquire after release: %v %v", ok, err)
	}

	t.Run("an expired lease is taken over", func(t *testing.T) {
		if err := db.Table("leases").Where("name = ?", "mail:1").Update("expires_at", time.Now().UTC().Add(-time.Second)).Error; err != nil {
			t.Fatal(err)
		}
		third, ok, err := database.AcquireLease(ctx, db, "mail:1", time.Minute)
		if err != nil || !ok {
			t.Fatalf("take over: %v %v", ok, err)
		}
		if err := second.Renew(ctx); !errors.Is(err, database.ErrLeaseLost) {
			t.Errorf("the old holder renews: %v, want ErrLeaseLost", err)
		}
		if err := second.Release(ctx); err != nil {
			t.Errorf("the old holder releases: %v", err)
		}
		if _, ok, _ := database.AcquireLease(ctx, db, "mail:1", time.Minute); ok {
			t.Error("the old holder's release freed the new holder's lease")
		}
		if err := third.Release(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
