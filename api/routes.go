package api

import (
	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/api/httpkit"
	"github.com/unodc-csu/agora/forms/accounts"
)

// routes is the whole route table: every path, who may call it, and the
// handler. Reading this one function tells what Agora exposes.
func (s *Server) routes(r *gin.Engine) {
	r.Use(recovery(), securityHeaders(s.cfg.HSTS), noStore(), s.limitRate(), limitBody(s.cfg.MaxBodyBytes, s.cfg.MaxUploadBytes), refuseNUL())
	r.NoRoute(func(c *gin.Context) { httpkit.Fail(c, httpkit.ErrNotFound) })
	r.NoMethod(func(c *gin.Context) {
		httpkit.Fail(c, &httpkit.Error{Status: 405, Code: "method_not_allowed", Message: "this method is not allowed here"})
	})

	r.GET("/healthz", s.healthz)

	// The stakeholder's survey pages (HTML, no JavaScript needed).
	r.GET("/static/*file", s.serveStatic)
	r.GET("/s/:token", s.survey.Page)
	r.POST("/s/:token", s.survey.Post)

	// The staff's pages: login, one-time password links, the portal.
	r.GET("/login", s.staff.LoginPage)
	r.POST("/login", s.staff.Login)
	r.POST("/logout", s.authenticate, s.staff.Logout)
	r.GET("/password/:token", s.staff.PasswordPage)
	r.POST("/password/:token", s.staff.SetPassword)
	r.GET("/portal", s.staff.Session, s.staff.Portal)
	r.POST("/portal/exports", s.staff.Session, s.staff.PortalExport)
	r.GET("/portal/exports/:id", s.staff.Session, s.staff.ExportPage)
	r.GET("/portal/consultations/new", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.ConsultationNewPage)
	r.POST("/portal/consultations", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.ConsultationCreate)
	r.GET("/portal/consultations/:id", s.staff.Session, requireRole(accounts.Roles...), s.staff.ConsultationPage)
	r.GET("/portal/consultations/:id/dashboard", s.staff.Session, requireRole(accounts.Roles...), s.staff.ConsultationDashboard)
	r.POST("/portal/consultations/:id/close", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.ConsultationClose)
	r.POST("/portal/consultations/:id/reopen", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.ConsultationReopen)
	r.POST("/portal/consultations/:id/open-link", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.ConsultationOpenLink)
	r.POST("/portal/consultations/:id/open-link/disable", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.ConsultationDisableOpenLink)
	// Personal links are the CSU's alone; focal points propose invitees.
	linkRoles := requireRole(accounts.RoleAdmin)
	proposers := requireRole(accounts.RoleAdmin, accounts.RoleFocalPoint)
	r.GET("/portal/consultations/:id/invite", s.staff.Session, proposers, s.staff.ConsultationInvitePage)
	r.POST("/portal/consultations/:id/proposals", s.staff.Session, proposers, s.staff.ConsultationPropose)
	r.POST("/portal/proposals/:id/decline", s.staff.Session, linkRoles, s.staff.ProposalDecline)
	r.POST("/portal/consultations/:id/invitations", s.staff.Session, linkRoles, s.staff.ConsultationInvite)
	r.POST("/portal/consultations/:id/new-links.xlsx", s.staff.Session, linkRoles, s.staff.ConsultationNewLinks)
	r.POST("/portal/consultations/:id/links.xlsx", s.staff.Session, linkRoles, s.staff.ConsultationLinks)
	r.POST("/portal/invitations/:id/revoke", s.staff.Session, linkRoles, s.staff.InvitationRevoke)
	r.POST("/portal/invitations/:id/reissue", s.staff.Session, linkRoles, s.staff.InvitationReissue)
	r.GET("/portal/comparisons", s.staff.Session, requireRole(accounts.Roles...), s.staff.ComparisonPage)
	mailPages := linkRoles // emails carry links
	r.GET("/portal/consultations/:id/mail", s.staff.Session, mailPages, s.staff.MailPreview)
	r.POST("/portal/consultations/:id/mail", s.staff.Session, mailPages, s.staff.MailSend)
	r.GET("/portal/consultations/:id/mail/log", s.staff.Session, mailPages, s.staff.MailLog)
	// The questionnaires: everyone reads and previews, admins upload and publish.
	r.GET("/portal/questionnaires", s.staff.Session, requireRole(accounts.Roles...), s.staff.QuestionnairesPage)
	r.GET("/portal/questionnaires/new", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.NewQuestionnairePage)
	r.POST("/portal/questionnaires", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.UploadQuestionnairePage)
	r.GET("/portal/questionnaires/:id", s.staff.Session, requireRole(accounts.Roles...), s.staff.QuestionnairePage)
	r.GET("/portal/questionnaires/:id/preview", s.staff.Session, requireRole(accounts.Roles...), s.staff.QuestionnairePreview)
	r.POST("/portal/questionnaires/:id/preview", s.staff.Session, requireRole(accounts.Roles...), s.staff.QuestionnairePreviewPost)
	r.GET("/portal/questionnaires/:id/diff", s.staff.Session, requireRole(accounts.Roles...), s.staff.QuestionnaireDiffPage)
	r.POST("/portal/questionnaires/:id/publish", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.PublishQuestionnairePage)
	r.POST("/portal/questionnaires/:id/versions", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.NewVersionPage)
	r.GET("/portal/questionnaires/:id/replace", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.ReplaceQuestionnairePage)
	r.POST("/portal/questionnaires/:id/replace", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.ReplaceQuestionnaire)
	pageRegistry := requireRole(accounts.RoleAdmin, accounts.RoleFocalPoint) // analysts read only
	r.GET("/portal/stakeholders", s.staff.Session, requireRole(accounts.Roles...), s.staff.StakeholdersPage)
	r.POST("/portal/stakeholders", s.staff.Session, pageRegistry, s.staff.CreateStakeholderPage)
	r.GET("/portal/stakeholders/new", s.staff.Session, pageRegistry, s.staff.NewStakeholderPage)
	r.GET("/portal/stakeholders/import", s.staff.Session, pageRegistry, s.staff.StakeholderImportPage)
	r.POST("/portal/stakeholders/import", s.staff.Session, pageRegistry, s.staff.ImportStakeholdersPage)
	r.GET("/portal/stakeholders/template.xlsx", s.staff.Session, pageRegistry, s.staff.StakeholderTemplate)
	r.GET("/portal/stakeholders/:id", s.staff.Session, requireRole(accounts.Roles...), s.staff.StakeholderPage)
	r.POST("/portal/stakeholders/:id", s.staff.Session, pageRegistry, s.staff.UpdateStakeholderPage)
	r.POST("/portal/stakeholders/:id/delete", s.staff.Session, pageRegistry, s.staff.DeleteStakeholderPage)
	r.POST("/portal/stakeholders/:id/confirm-email", s.staff.Session, requireRole(accounts.RoleAdmin), s.staff.ConfirmEmailPage)
	adminPage := r.Group("/admin", s.staff.Session, requireRole(accounts.RoleAdmin))
	adminPage.GET("/users", s.staff.AdminUsers)
	adminPage.POST("/users", s.staff.AdminAddUser)
	adminPage.POST("/users/:id", s.staff.AdminUpdateUser)
	adminPage.POST("/users/:id/password-link", s.staff.AdminPasswordLink)
	adminPage.POST("/users/:id/tokens", s.staff.AdminCreateToken)
	adminPage.POST("/tokens/:id/revoke", s.staff.AdminRevokeToken)
	adminPage.GET("/audit", s.staff.AdminAudit)
	adminPage.GET("/reference", s.staff.AdminReference)
	adminPage.GET("/reference/:iso3", s.staff.AdminReferenceCountry)
	adminPage.POST("/reference/:iso3", s.staff.AdminReferenceSave)

	v1 := r.Group("/api/v1")
	v1.GET("/themes", h(s.listThemes))
	v1.GET("/countries", h(s.listCountries))

	staff := v1.Group("", s.authenticate)
	anyRole := requireRole(accounts.Roles...)
	admin := requireRole(accounts.RoleAdmin)

	staff.GET("/questionnaires", anyRole, h(s.listQuestionnaires))
	staff.POST("/questionnaires", admin, h(s.createQuestionnaire))
	staff.POST("/questionnaires/import", admin, h(s.importQuestionnaire))
	staff.GET("/questionnaires/:id", anyRole, h(s.getQuestionnaire))
	staff.PUT("/questionnaires/:id", admin, h(s.updateQuestionnaire))
	staff.POST("/questionnaires/:id/publish", admin, h(s.publishQuestionnaire))
	staff.GET("/questionnaires/:id/xlsform", anyRole, h(s.exportXLSForm))

	registry := requireRole(accounts.RoleAdmin, accounts.RoleFocalPoint) // analysts read only
	staff.GET("/stakeholders", anyRole, h(s.listStakeholders))
	staff.POST("/stakeholders", registry, h(s.createStakeholder))
	staff.POST("/stakeholders/import", registry, h(s.importStakeholders))
	staff.GET("/stakeholders/:id", anyRole, h(s.getStakeholder))
	staff.PUT("/stakeholders/:id", registry, h(s.updateStakeholder))
	staff.DELETE("/stakeholders/:id", registry, h(s.deleteStakeholder))
	staff.POST("/stakeholders/:id/confirm-email", admin, h(s.confirmEmail))

	staff.GET("/consultations", anyRole, h(s.listConsultations))
	staff.POST("/consultations", admin, h(s.createConsultation))
	staff.GET("/consultations/:id", anyRole, h(s.getConsultation))
	staff.POST("/consultations/:id/close", admin, h(s.closeConsultation))
	staff.POST("/consultations/:id/reopen", admin, h(s.reopenConsultation))
	staff.POST("/consultations/:id/open-link", admin, h(s.setOpenLink))
	staff.DELETE("/consultations/:id/open-link", admin, h(s.disableOpenLink))
	// Personal links are the CSU's alone (docs/protection.md): focal
	// points propose invitees, and see each organization's status only
	// in named consultations.
	staff.GET("/consultations/:id/invitations", anyRole, h(s.listInvitations))
	staff.POST("/consultations/:id/invitations", admin, h(s.createInvitations))
	staff.GET("/consultations/:id/invitations.xlsx", admin, h(s.invitationsWorkbook))
	staff.POST("/consultations/:id/invitations.xlsx", admin, h(s.invitationsWorkbook))
	staff.POST("/invitations/:id/revoke", admin, h(s.revokeInvitation))
	staff.POST("/invitations/:id/reissue", admin, h(s.reissueInvitation))
	staff.GET("/consultations/:id/proposals", registry, h(s.listProposals))
	staff.POST("/consultations/:id/proposals", registry, h(s.createProposals))
	staff.POST("/proposals/:id/decline", admin, h(s.declineProposal))

	staff.GET("/consultations/:id/summary", anyRole, h(s.consultationSummary))
	staff.GET("/comparisons", anyRole, h(s.compareCountries))

	staff.POST("/exports", anyRole, h(s.createExport))
	staff.GET("/exports/:id", anyRole, h(s.getExport))
	staff.GET("/exports/:id/file", anyRole, h(s.exportFile))
	staff.POST("/exports/:id/retry", anyRole, h(s.retryExport))

	staff.GET("/audit", admin, h(s.listAudit))
	staff.GET("/users", admin, h(s.listUsers))
	staff.POST("/users", admin, h(s.createUser))
	staff.GET("/users/:id", admin, h(s.getUser))
	staff.PUT("/users/:id", admin, h(s.updateUser))
	staff.POST("/users/:id/password-link", admin, h(s.createPasswordLink))
	staff.GET("/users/:id/tokens", admin, h(s.listTokens))
	staff.POST("/users/:id/tokens", admin, h(s.createToken))
	staff.POST("/tokens/:id/revoke", admin, h(s.revokeToken))

	// A personal link is the stakeholder's key: no account, no session.
	v1.GET("/responses/:token", h(s.getResponse))
	v1.PUT("/responses/:token", h(s.putResponse))
	v1.POST("/responses/:token/submit", h(s.submitResponse))
}

// h adapts a handler that returns an error, so that every failure goes
// through the one error renderer.
func h(fn func(c *gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := fn(c); err != nil {
			httpkit.Fail(c, err)
		}
	}
}
