// Package store holds the reference server's workspace state behind an
// interface: users (indexed by id, lower-cased userName and externalId),
// roles, teams, entities, API keys, sessions and settings.
//
// The whole workspace is one value, Data, read and written inside
// transactions. One transaction is one atomic step: a deprovision that removes
// roles, teams, keys and sessions happens in a single Write, so no reader ever
// sees half of it (SPEC §1.4).
package store

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"
)

// Store runs transactions over the workspace Data.
//
// Read runs fn under a shared lock; fn must not modify d. Write runs fn under
// an exclusive lock. A Write whose fn returns an error must not have modified
// d: callers validate first and mutate last, so a failed request changes
// nothing. Implementations persist d (if they persist at all) after a
// successful Write.
type Store interface {
	Read(fn func(d *Data) error) error
	Write(fn func(d *Data) error) error
	Close() error
}

// User is a SCIM user together with its Cortex-side state.
type User struct {
	ID           string    `json:"id"`
	Seq          uint64    `json:"seq"` // creation order, for stable pagination
	UserName     string    `json:"userName"`
	ExternalID   string    `json:"externalId,omitempty"`
	GivenName    string    `json:"givenName,omitempty"`
	FamilyName   string    `json:"familyName,omitempty"`
	Active       bool      `json:"active"`
	Roles        []string  `json:"roles"`
	Version      int64     `json:"version"`
	Created      time.Time `json:"created"`
	LastModified time.Time `json:"lastModified"`
}

// Clone returns a deep copy of u, so a transaction can build a changed user
// and commit it only when every check has passed.
func (u User) Clone() User {
	u.Roles = slices.Clone(u.Roles)
	return u
}

// Role is a named set of permissions.
type Role struct {
	Name        string   `json:"name"`
	Permissions []string `json:"permissions"`
	BuiltIn     bool     `json:"builtIn"`
}

// Member is a team membership or entity ownership record. It references a
// person by email; UserID is the user currently associated with that email,
// empty when none is (SPEC §1.4: records that still reference the email are
// associated again on reprovision).
type Member struct {
	Email  string `json:"email"`
	UserID string `json:"userId,omitempty"`
}

// Team is a named group of members.
type Team struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Members []Member `json:"members"`
}

// Entity is a catalog entity with owners.
type Entity struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Owners []Member `json:"owners"`
}

// APIKey is an API key. Only a hash of its secret is kept.
type APIKey struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Role       string    `json:"role"`
	OwnerID    string    `json:"ownerId,omitempty"` // empty: a workspace key
	OwnerEmail string    `json:"ownerEmail,omitempty"`
	Hash       []byte    `json:"hash"`
	Created    time.Time `json:"created"`
}

// Session is a logged-in browser session (standing in for SSO). Only a hash
// of its token is kept.
type Session struct {
	ID      string    `json:"id"`
	UserID  string    `json:"userId"`
	Hash    []byte    `json:"hash"`
	Created time.Time `json:"created"`
}

// Settings are the workspace settings of SPEC §1.1.
type Settings struct {
	ScimEnabled              bool     `json:"scimEnabled"`
	DefaultRole              string   `json:"defaultRole"`
	IPAllowlist              []string `json:"ipAllowlist"`
	ClientIPHeader           string   `json:"clientIpHeader"`
	KeepDeprovisionedInTeams bool     `json:"keepDeprovisionedInTeams"`
}

// Data is the whole workspace. The exported maps are keyed by id (roles by
// name). Users, API keys and sessions are reached through the methods so the
// indexes stay right.
type Data struct {
	Settings Settings
	Roles    map[string]Role
	Teams    map[string]Team
	Entities map[string]Entity

	apiKeys       map[string]APIKey  // by id
	keyByHash     map[string]string  // string(secret hash) -> API key id
	sessions      map[string]Session // by id
	sessionByHash map[string]string  // string(token hash) -> session id

	nextSeq    uint64
	users      map[string]*User
	order      []*User             // by Seq ascending
	byUserName map[string][]string // lower-cased userName -> ids
	byExternal map[string][]string // externalId -> ids
}

// NewData returns an empty workspace.
func NewData() *Data {
	d := &Data{}
	d.init()
	return d
}

func (d *Data) init() {
	d.Roles = map[string]Role{}
	d.Teams = map[string]Team{}
	d.Entities = map[string]Entity{}
	d.apiKeys = map[string]APIKey{}
	d.keyByHash = map[string]string{}
	d.sessions = map[string]Session{}
	d.sessionByHash = map[string]string{}
	d.users = map[string]*User{}
	d.order = nil
	d.byUserName = map[string][]string{}
	d.byExternal = map[string][]string{}
}

// dataJSON is the persisted form of Data (the file store's format).
type dataJSON struct {
	Settings Settings           `json:"settings"`
	Roles    map[string]Role    `json:"roles"`
	Teams    map[string]Team    `json:"teams"`
	Entities map[string]Entity  `json:"entities"`
	APIKeys  map[string]APIKey  `json:"apiKeys"`
	Sessions map[string]Session `json:"sessions"`
	Users    []User             `json:"users"` // creation order
	NextSeq  uint64             `json:"nextSeq"`
}

// MarshalJSON writes the workspace, users in creation order.
func (d *Data) MarshalJSON() ([]byte, error) {
	users := make([]User, 0, len(d.order))
	for _, u := range d.order {
		users = append(users, *u)
	}
	return json.Marshal(dataJSON{
		Settings: d.Settings, Roles: d.Roles, Teams: d.Teams, Entities: d.Entities,
		APIKeys: d.apiKeys, Sessions: d.sessions, Users: users, NextSeq: d.nextSeq,
	})
}

// UnmarshalJSON reads a workspace and rebuilds the indexes.
func (d *Data) UnmarshalJSON(b []byte) error {
	var j dataJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	d.init()
	d.Settings = j.Settings
	maps.Copy(d.Roles, j.Roles)
	maps.Copy(d.Teams, j.Teams)
	maps.Copy(d.Entities, j.Entities)
	for id, k := range j.APIKeys {
		d.putAPIKey(id, k)
	}
	for id, sess := range j.Sessions {
		d.putSession(id, sess)
	}
	d.nextSeq = j.NextSeq
	for _, u := range j.Users {
		d.insert(u)
	}
	return nil
}

// UserCount returns the number of users.
func (d *Data) UserCount() int { return len(d.order) }

// UserByID returns a copy of the user with id.
func (d *Data) UserByID(id string) (User, bool) {
	u, ok := d.users[id]
	if !ok {
		return User{}, false
	}
	return u.Clone(), true
}

// UsersByUserName returns the users whose userName equals name
// case-insensitively, in creation order. There is at most one unless a
// fault switch let duplicates in.
func (d *Data) UsersByUserName(name string) []User {
	return d.collect(d.byUserName[strings.ToLower(name)])
}

// UsersByExternalID returns the users whose externalId equals ext exactly.
func (d *Data) UsersByExternalID(ext string) []User {
	return d.collect(d.byExternal[ext])
}

func (d *Data) collect(ids []string) []User {
	out := make([]User, 0, len(ids))
	for _, id := range ids {
		if u, ok := d.users[id]; ok {
			out = append(out, u.Clone())
		}
	}
	slices.SortFunc(out, func(a, b User) int { return compareSeq(a.Seq, b.Seq) })
	return out
}

func compareSeq(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// EachUser calls fn for every user in creation order until fn returns false.
// fn gets a pointer for speed and must not modify the user.
func (d *Data) EachUser(fn func(u *User) bool) {
	for _, u := range d.order {
		if !fn(u) {
			return
		}
	}
}

// newSeq returns the next creation sequence number.
func (d *Data) newSeq() uint64 {
	d.nextSeq++
	return d.nextSeq
}

// PutUser inserts u or replaces the user with u.ID, keeping the indexes right.
func (d *Data) PutUser(u User) {
	if old, ok := d.users[u.ID]; ok {
		d.unindex(old)
		u.Seq = old.Seq
		*old = u.Clone()
		d.index(old)
		return
	}
	d.insert(u)
}

func (d *Data) insert(u User) {
	p := new(User)
	*p = u.Clone()
	if p.Seq == 0 {
		p.Seq = d.newSeq()
	}
	if p.Seq > d.nextSeq {
		d.nextSeq = p.Seq
	}
	d.users[p.ID] = p
	// Sequence numbers only grow, so appending keeps order sorted; a loaded
	// file may be in any order, so fall back to a sorted insert.
	if n := len(d.order); n == 0 || d.order[n-1].Seq < p.Seq {
		d.order = append(d.order, p)
	} else {
		i, _ := slices.BinarySearchFunc(d.order, p.Seq, func(x *User, s uint64) int { return compareSeq(x.Seq, s) })
		d.order = slices.Insert(d.order, i, p)
	}
	d.index(p)
}

// DeleteUser removes the user with id; it reports whether one existed.
func (d *Data) DeleteUser(id string) bool {
	u, ok := d.users[id]
	if !ok {
		return false
	}
	d.unindex(u)
	delete(d.users, id)
	if i, found := slices.BinarySearchFunc(d.order, u.Seq, func(x *User, s uint64) int { return compareSeq(x.Seq, s) }); found {
		d.order = slices.Delete(d.order, i, i+1)
	}
	return true
}

func (d *Data) index(u *User) {
	k := strings.ToLower(u.UserName)
	d.byUserName[k] = append(d.byUserName[k], u.ID)
	if u.ExternalID != "" {
		d.byExternal[u.ExternalID] = append(d.byExternal[u.ExternalID], u.ID)
	}
}

func (d *Data) unindex(u *User) {
	removeID(d.byUserName, strings.ToLower(u.UserName), u.ID)
	if u.ExternalID != "" {
		removeID(d.byExternal, u.ExternalID, u.ID)
	}
}

func removeID(m map[string][]string, k, id string) {
	ids := slices.DeleteFunc(m[k], func(x string) bool { return x == id })
	if len(ids) == 0 {
		delete(m, k)
		return
	}
	m[k] = ids
}
