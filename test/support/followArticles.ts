/**
 * Articles for the followed-question specs: a first report, a later one that changes what a reader
 * asked about, one about the same town that does not, and one about nothing they asked.
 */

/** The first report: the talks are under way, nothing signed. */
export const TALKS = [
  'Port Ellery trade talks open with no deal in sight',
  'Trade minister Lina Haddad opened talks with the harbour authority of Port Ellery on Monday.',
  'The harbour authority wants a tariff on grain shipments before it signs anything.',
  'Haddad said the ministry would refuse any tariff above two percent.',
  'Both sides will meet again later in the week.',
].join('\n\n');

/** A later report that changes what was agreed: the deal is signed. */
export const DEAL = [
  'Port Ellery grain tariff set at one and a half percent',
  'The grain tariff of Port Ellery was set at one and a half percent on Thursday, after three days of talks.',
  'The rate holds for ten years, the harbour authority said.',
  'Haddad called it a fair deal for farmers and for the harbour.',
  'Shipments under the new terms begin next month.',
].join('\n\n');

/** An article no followed question is about. */
export const FOOTBALL = [
  'Riverside United win the cup final on penalties',
  'Riverside United beat Northgate Rovers on penalties in Saturday’s cup final after a goalless draw.',
  'Goalkeeper Sam Okafor saved two spot kicks as the stadium erupted.',
  'The club’s coach praised the players for their patience over one hundred and twenty minutes.',
  'Supporters celebrated in the city centre until late at night.',
].join('\n\n');

/** An article about the same town that does not touch the question's fact. */
export const FESTIVAL = [
  'Port Ellery lantern festival draws record crowds',
  'Thousands of visitors filled the old harbour of Port Ellery on Friday for the lantern festival.',
  'Musicians played on boats along the quay until midnight.',
  'The organisers said next year’s festival will last three nights.',
  'Hotels in the town reported no free rooms for the weekend.',
].join('\n\n');
