package setup

import (
	"context"
	"errors"
	"fmt"

	"github.com/unodc-csu/agora/forms"
)

// DemoTryOrganization is the demo stakeholder whose personal link is printed
// at each start, for a newcomer to answer the survey as a stakeholder would.
const DemoTryOrganization = "Your organization (try the survey)"

// demoStakeholders are Kenya's mapped organizations in the demo. Their
// addresses are under .example, a domain reserved never to receive mail, so
// that emailing the demo (with AGORA_SMTP_URL set) can be tried without
// writing to anyone.
var demoStakeholders = []forms.StakeholderInput{
	{Organization: "Haki Africa", Type: "ngo", Subtype: "human rights defenders", Themes: []string{"TIP", "XC.HUMAN_RIGHTS"}, Email: "haki-africa@stakeholders.example", Language: "en"},
	{Organization: "Coast Women in Development", Type: "ngo", Subtype: "community group", Themes: []string{"TIP", "XC.GENDER"}, Email: "coast-women-in-development@stakeholders.example", Language: "en"},
	{Organization: "Awareness Against Human Trafficking", Type: "ngo", Subtype: "victim-led", Themes: []string{"TIP", "XC.VICTIMS"}, Email: "awareness-against-human-trafficking@stakeholders.example", Language: "en"},
	{Organization: "Kenya Wildlife Conservancies Association", Type: "ngo", Subtype: "professional association", Themes: []string{"XC.ENVIRONMENT"}, Email: "kenya-wildlife-conservancies-association@stakeholders.example", Language: "en"},
	{Organization: "Mombasa Port Workers Union", Type: "ngo", Subtype: "labour union", Themes: []string{"SOM", "FA"}, Email: "mombasa-port-workers-union@stakeholders.example", Language: "en"},
	{Organization: "Institute for Security Studies, Nairobi", Type: "academia", Themes: []string{"UNTOC", "FA"}, Email: "institute-for-security-studies-nairobi@stakeholders.example", Language: "en"},
	{Organization: "Strathmore University Law School", Type: "academia", Themes: []string{"UNTOC", "XC.CORRUPTION"}, Email: "strathmore-university-law-school@stakeholders.example", Language: "en"},
	{Organization: "Kenya Bankers Association", Type: "private_sector", Themes: []string{"UNTOC.ART6"}, Email: "kenya-bankers-association@stakeholders.example", Language: "en"},
	{Organization: "East African Shippers Council", Type: "private_sector", Themes: []string{"SOM"}, Email: "east-african-shippers-council@stakeholders.example", Language: "fr"},
	{Organization: DemoTryOrganization, Type: "ngo", Themes: []string{"UNTOC"}, Email: "your-organization@stakeholders.example", Language: "en"},
}

// demoAnswers are the submitted answers of the first demo stakeholders, so
// that the summaries have something to show from the start.
var demoAnswers = []forms.Answers{
	{"q_org_type": "ngo", "q_areas": []string{"tip", "untoc"}, "q_years": 14, "q_priorities": []string{"tip", "corruption", "money_laundering"}, "q_priorities_why": "Most of the cases we document.", "q_coop": 2, "q_coop_obstacles": "Letters to the police go unanswered.", "q_channels": []string{"meetings", "advisory_board"}, "q_problems": "Victims are prosecuted for immigration offences."},
	{"q_org_type": "ngo", "q_areas": []string{"tip"}, "q_years": 8, "q_priorities": []string{"tip", "som", "corruption"}, "q_coop": 3, "q_channels": []string{"meetings"}},
	{"q_org_type": "ngo", "q_areas": []string{"tip", "som"}, "q_years": 5, "q_priorities": []string{"tip", "oc_groups", "som"}, "q_coop": 1, "q_coop_obstacles": "No contact point for civil society.", "q_channels": []string{"focal_point", "messaging"}, "q_problems": "Shelters are underfunded."},
	{"q_org_type": "ngo", "q_areas": []string{"untoc"}, "q_years": 20, "q_priorities": []string{"environment", "corruption", "oc_groups"}, "q_coop": 4, "q_channels": []string{"written"}},
	{"q_org_type": "ngo", "q_areas": []string{"som", "fa"}, "q_priorities": []string{"firearms", "som", "tip"}, "q_coop": 2, "q_channels": []string{"meetings", "written"}},
	{"q_org_type": "academia", "q_areas": []string{"untoc", "fa"}, "q_years": 12, "q_priorities": []string{"firearms", "money_laundering", "cybercrime"}, "q_coop": 4, "q_channels": []string{"advisory_board"}},
}

// loadDemoConsultation maps Kenya's stakeholders, opens the demo survey in
// Kenya, invites them all and submits the first responses.
func loadDemoConsultation(ctx context.Context, store *forms.Store, questionnaireID uint) error {
	c, err := store.CreateConsultation(ctx, forms.AllCountries, forms.ConsultationInput{
		QuestionnaireID: questionnaireID, Country: "KEN", Title: "Kenya pilot initiative: issue identification",
		WorkingGroup: "WG.TIP", Cluster: "UNTOC.C1", Scenario: "B", Languages: []string{"en", "fr", "ar"},
		Anonymity: forms.AnonymityConfidential,
	}, nil)
	if err != nil {
		return fmt.Errorf("demo consultation: %w", err)
	}
	ids := make([]uint, len(demoStakeholders))
	for i, in := range demoStakeholders {
		in.Country = "KEN"
		sh, err := store.CreateStakeholder(ctx, forms.AllCountries, in, nil)
		if err != nil {
			return fmt.Errorf("demo stakeholder %s: %w", in.Organization, err)
		}
		ids[i] = sh.ID
	}
	links, _, err := store.CreateInvitations(ctx, forms.AllCountries, c.ID, ids, nil, nil)
	if err != nil {
		return fmt.Errorf("demo invitations: %w", err)
	}
	for i, answers := range demoAnswers {
		sess, err := store.ResolveLink(ctx, links[i].Token)
		if err != nil {
			return err
		}
		if _, err := store.Submit(ctx, sess, fmt.Sprintf("demo-%d", i), answers); err != nil {
			return fmt.Errorf("demo response %d: %w", i, err)
		}
	}
	return nil
}

// DemoSurveyLink issues a fresh personal link for the demo stakeholder that
// is kept for trying the survey, and returns its token; the link printed at
// the previous start stops working. It returns "" when the demo is not
// loaded.
func DemoSurveyLink(ctx context.Context, store *forms.Store) (string, error) {
	page, err := store.Stakeholders(ctx, forms.AllCountries, forms.StakeholderFilter{Q: DemoTryOrganization, Country: "KEN"})
	if err != nil || len(page.Items) == 0 {
		return "", err
	}
	cs, err := store.Consultations(ctx, forms.AllCountries, forms.ConsultationFilter{Country: "KEN"})
	if err != nil {
		return "", err
	}
	for _, c := range cs {
		rows, err := store.Invitations(ctx, forms.AllCountries, c.ID)
		if err != nil {
			return "", err
		}
		for _, r := range rows {
			if r.StakeholderID == nil || *r.StakeholderID != page.Items[0].ID {
				continue
			}
			link, err := store.ReissueInvitation(ctx, forms.AllCountries, r.ID, nil)
			var ce *forms.ConflictError
			if errors.As(err, &ce) {
				return "", nil // the demo consultation was closed
			}
			if err != nil {
				return "", err
			}
			return link.Token, nil
		}
	}
	return "", nil
}
