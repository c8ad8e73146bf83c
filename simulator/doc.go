// Package simulator is an in-memory Okta org whose provisioning engine
// talks to a SCIM 2.0 target exactly as Okta's does (SPEC §2), and shows
// what an Okta admin would see: task messages, the Test API Credentials
// dialog, app-user state.
//
// Usage, per scenario:
//
//	org := simulator.NewOrg(simulator.Options{Logger: log})
//	err := org.ConfigureApp(simulator.AppConfig{
//		Name: "Cortex", BaseURL: "https://cortex.example/scim/v2",
//		Auth:    simulator.Auth{Mode: simulator.AuthBearer, Secret: key},
//		Profile: simulator.ProfileOIN, Provisioning: simulator.AllOn(),
//	})
//	ana := org.AddUser(simulator.Profile{Login: "ana@example.com", Email: "ana@example.com",
//		FirstName: "Ana", LastName: "Lopez"})
//	res, err := org.Assign(ctx, ana.ID) // err only for programmer errors
//	if !res.OK { fmt.Println(res.Message) } // what the admin sees
//	org.Transcript().WriteHAR(w)
//
// The simulator shares nothing with the reference server but the wire
// constants in internal/scimwire.
package simulator
