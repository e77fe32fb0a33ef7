#include "store/statements.h"

#include "store/tx.h"

namespace beian {
namespace store_internal {

const Statements& StatementsFor(Dialect dialect) {
  return dialect == Dialect::kPostgres ? kPostgresStatements : kSqliteStatements;
}

}  // namespace store_internal

Tx::Tx(Conn& conn) : conn_(conn), sql_(store_internal::StatementsFor(conn.dialect())) {}

}  // namespace beian
