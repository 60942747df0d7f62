package benchmarks

import (
	"fmt"

	"math/rand/v2"

	"github.com/clearance-dev/clearance/loader/world"
)

// OrgWorldFor generates an organization shaped as OrgWorld's, with a
// random source per account (so that one account can be made without the
// others), keeping the contents of the accounts keep accepts: the others
// are what the organizations export says of them (id, name, place), as a
// shard of a sharded audit reads them. keep nil keeps every account.
func OrgWorldFor(accounts, roles int, seed uint64, keep func(id string) bool) (*world.World, error) {
	w := &world.World{Organization: &world.Organization{ID: "o-synthetic", ManagementAccount: accountID(0)}}
	if err := orgTree(w.Organization); err != nil {
		return nil, err
	}
	for i := 0; i < accounts; i++ {
		id := accountID(i)
		if keep != nil && !keep(id) {
			a := &world.Account{ID: id, Name: fmt.Sprintf("acct-%d", i), OrgPath: "Workloads/Prod"}
			if i == 0 {
				a.OrgPath = ""
			}
			w.Accounts = append(w.Accounts, a)
			continue
		}
		a, err := syntheticAccount(rand.New(rand.NewPCG(seed, uint64(i))), i, accounts, roles)
		if err != nil {
			return nil, err
		}
		w.Accounts = append(w.Accounts, a)
	}
	return w, nil
}
