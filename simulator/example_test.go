package simulator_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/scimulator/scimulator/simulator"
)

// Example shows one scenario's worth of Okta admin actions against a
// target that creates users but fails every update.
func Example() {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/scim+json")
		switch {
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/Users"):
			_, _ = io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}`)
		case r.Method == http.MethodGet:
			_, _ = io.WriteString(w, `{"id":"c0ffee","userName":"ana@example.com","active":true}`)
		case r.Method == http.MethodPost:
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"id":"c0ffee","userName":"ana@example.com","active":true}`)
		default:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"mutability","detail":"only names can change"}`)
		}
	}))
	defer target.Close()

	ctx := context.Background()
	org := simulator.NewOrg(simulator.Options{})
	if err := org.ConfigureApp(simulator.AppConfig{
		Name: "Cortex", BaseURL: target.URL + "/scim/v2", AllowHTTP: true,
		Auth:    simulator.Auth{Mode: simulator.AuthBearer, Secret: "example-key"},
		Profile: simulator.ProfileOIN, Provisioning: simulator.AllOn(),
	}); err != nil {
		fmt.Println(err)
		return
	}
	ana := org.AddUser(simulator.Profile{Login: "ana@example.com", Email: "ana@example.com", FirstName: "Ana", LastName: "Lopez"})
	res, _ := org.Assign(ctx, ana.ID)
	app, _ := org.AppUser(ana.ID)
	fmt.Println(res.OK, app.SCIMID, app.Status)

	p := ana.Profile
	p.FirstName = "Anna"
	res, _ = org.UpdateUserProfile(ctx, ana.ID, p)
	fmt.Println(res.OK, res.Status)
	fmt.Println(res.Message)
	fmt.Println(len(org.OpenTasks()), len(org.Transcript().Exchanges))
	// Output:
	// true c0ffee PROVISIONED
	// false 400
	// Automatic provisioning of user Anna Lopez to app Cortex failed: Error while trying to push profile update for 'ana@example.com': Bad Request. Errors reported by remote server: only names can change
	// 1 4
}
