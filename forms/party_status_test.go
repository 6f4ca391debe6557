package forms_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/unodc-csu/agora/forms"
)

// TestPartyStatusLimitsInput records Kenya as party to the Convention and
// a signatory of the Firearms Protocol, and checks which clusters its
// consultations may name: a country with nothing recorded is not limited,
// and a provisional status limits as a confirmed one does.
func TestPartyStatusLimitsInput(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, forms.AnonymityConfidential)
	in := func(cluster, country string) forms.ConsultationInput {
		return forms.ConsultationInput{QuestionnaireID: f.c.QuestionnaireID, Country: country, Title: "t", Cluster: cluster}
	}
	if _, err := f.store.CreateConsultation(ctx, forms.AllCountries, in("FA.C1", "KEN"), nil); err != nil {
		t.Fatalf("nothing recorded, FA.C1: %v", err)
	}
	change, err := f.store.SetPartyStatuses(ctx, "KEN", []forms.PartyStatusInput{
		{Instrument: "UNTOC", Status: forms.PartyParty},
		{Instrument: "FA", Status: forms.PartySignatory, Provisional: true, Source: " UNTC "},
	}, nil)
	if err != nil || len(change.After) != 2 || change.Before["FA"] != nil {
		t.Fatalf("set: %+v %v", change, err)
	}
	tests := []struct {
		cluster, country string
		refused          bool
	}{
		{"UNTOC.C1", "KEN", false},
		{"FA.C1", "KEN", true},  // signatory only
		{"TIP.C2", "KEN", true}, // not recorded while others are
		{"FA.C1", "MEX", false}, // Mexico: nothing recorded
	}
	for _, tt := range tests {
		t.Run(tt.country+" "+tt.cluster, func(t *testing.T) {
			_, err := f.store.CreateConsultation(ctx, forms.AllCountries, in(tt.cluster, tt.country), nil)
			var ve *forms.ValidationError
			switch {
			case tt.refused && (!errors.As(err, &ve) || ve.Fields[0].Path != "/cluster" || !strings.Contains(ve.Fields[0].Message, "not recorded as a party")):
				t.Errorf("err = %v, want a refusal of /cluster", err)
			case !tt.refused && err != nil:
				t.Errorf("err = %v", err)
			}
		})
	}
	sts, err := f.store.PartyStatusesOf(ctx, "KEN")
	if err != nil || len(sts) != 2 || sts[0].Instrument != "UNTOC" || sts[1].Source != "UNTC" || !sts[1].Provisional {
		t.Errorf("statuses %+v %v", sts, err)
	}
	// The same values again change nothing; "" removes a status.
	if change, err := f.store.SetPartyStatuses(ctx, "KEN", []forms.PartyStatusInput{{Instrument: "UNTOC", Status: forms.PartyParty}}, nil); err != nil || !change.Empty() {
		t.Errorf("unchanged: %+v %v", change, err)
	}
	if change, err := f.store.SetPartyStatuses(ctx, "KEN", []forms.PartyStatusInput{{Instrument: "FA"}}, nil); err != nil || change.After["FA"] != nil || change.Before["FA"] == nil {
		t.Errorf("removed: %+v %v", change, err)
	}
	for _, bad := range [][]forms.PartyStatusInput{{{Instrument: "XX", Status: "party"}}, {{Instrument: "TIP", Status: "ratified"}}, {{Instrument: "TIP"}, {Instrument: "TIP"}}} {
		var ve *forms.ValidationError
		if _, err := f.store.SetPartyStatuses(ctx, "KEN", bad, nil); !errors.As(err, &ve) {
			t.Errorf("%+v: err = %v, want a validation error", bad, err)
		}
	}
	if _, err := f.store.SetPartyStatuses(ctx, "XXX", nil, nil); !errors.Is(err, forms.ErrNotFound) {
		t.Errorf("unknown country: %v", err)
	}
}
