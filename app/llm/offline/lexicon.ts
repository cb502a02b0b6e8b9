/** Word lists the directive parser relies on where compromise's tags are not enough. */

function words(list: string): ReadonlySet<string> {
  return new Set(list.trim().split(/\s+/));
}

/** People and organisations a product can serve (singular lemmas). */
export const ACTORS: ReadonlySet<string> = words(`
  accountant actor admin administrator adult agency agent artist astronomer athlete author
  baker bakery band barber barista beekeeper beginner blogger bookkeeper bookshop bookstore
  brewery builder business buyer cafe caregiver carer carpenter caterer charity chef child
  cleaner client clinic clinician club coach collector company consultant contractor cook
  couple courier craftsman craftsperson creator customer cyclist dancer dentist designer
  developer dietitian diner doctor donor driver editor electrician employee employer engineer
  entrepreneur family fan farmer fisherman fishmonger flatmate florist founder freelancer
  friend gamer gardener grandparent groomer guest guide gym hairdresser handyman holder homeowner
  hospital host hotel household illustrator influencer instructor investor journalist kid
  landlord lawyer learner lecturer librarian maker manager mechanic member mentor merchant
  messenger midwife musician neighbor neighbour newcomer nonprofit nurse nutritionist operator
  organiser organizer owner painter parent participant partner patient pharmacist pharmacy
  photographer physician physio physiotherapist pilot player plumber podcaster potter
  practitioner producer professional professor programmer provider psychologist publisher
  reader realtor recruiter refugee researcher resident restaurant retailer retiree rider
  roaster roommate runner salon school scientist seller senior shop shopper singer sitter
  staff startup store streamer student studio subscriber supplier surgeon tailor teacher team
  technician teen teenager tenant therapist trader trainee trainer traveler traveller tutor
  user vendor vet veterinarian viewer volunteer walker winemaker worker writer youth
`);

/** Actors that are organisations, not people: a persona is someone "from" one. */
export const ORGANISATIONS: ReadonlySet<string> = words(`
  agency bakery band bookshop bookstore brewery business cafe charity clinic club company
  family gym hospital hotel household nonprofit pharmacy restaurant salon school shop startup
  store studio team
`);

/** "-er"/"-or" nouns that are things, not people; other nouns with those endings are actors. */
export const NOT_ACTORS: ReadonlySet<string> = words(`
  after anchor answer banner barrier beer binder blender booster burger butter calculator
  calendar career carrier center centre chamber chapter character charger cider cluster color
  colour computer container cooler corner corridor counter cover deer diaper dinner door
  either elevator error ever exterior factor favor favour feather filter finger flavor flavour
  floor flower folder generator harbor harbour heater helicopter humor indicator interior
  labor labour laser layer leather ledger letter liquor locker lumber major marker matter
  meter minor mirror monitor motor neither never newsletter number offer order other over
  paper planner poker poster power prayer printer processor rather razor register reminder
  river roster scooter sector sensor server shower soccer spider sticker summer super sweater
  theater theatre ticker timber timer together tracker tractor trailer under water weather
  whether winter washer dryer mixer
`);

/** Generic words that name the kind of product, not its domain. */
export const PRODUCT_WORDS: ReadonlySet<string> = words(`
  api app application assistant bot builder cms community companion crm dashboard directory engine erp
  exchange extension forum generator hub manager market marketplace network place planner
  platform plugin portal product saas sdk service shop site software solution startup store
  suite system tool tracker way website widget
`);

/**
 * Product words that are also things, places or bodies ("job sites", "power tools", "the
 * generator"): they name the product only opening the directive or after "a"/"an".
 */
export const THING_PRODUCT_WORDS: ReadonlySet<string> = words(`
  community engine exchange generator hub market network place site tool tracker website
`);

/** Agent words that, after a thing, name a tool making it ("postmortem writer", "setlist builder"). */
export const TOOL_AGENTS: ReadonlySet<string> = words(`
  builder calculator checker composer finder generator locator maker scheduler writer
`);

/** Nouns without a plural in product prose ("split fuel costs", not "split fuels"). */
export const MASS_NOUNS: ReadonlySet<string> = words(`
  advice baggage clothing coffee compost data equipment feedback firewood food fuel furniture
  rent tuition payroll postage coaching tutoring mentoring training churn attendance care
  gear hay homework information insulation inventory laundry luggage mail milk money mud
  economy history mileage music news paperwork produce rain research rice software stock traffic water weather
  electricity gas wifi rainfall moisture waste revenue income energy power flour dough sugar
  honey wine beer oil salt soil compost
`);

/** Fixed phrases a directive uses as one word ("front of house", "near misses"). */
export const FIXED_PHRASES: readonly string[] = `front of house|back of house|point of sale|
  proof of delivery|bill of materials|chain of custody|statement of work|power of attorney|
  certificate of insurance|letter of intent|end of day|out of hours|near misses|near miss|
  lost and found|fly tipping|work in progress|pay as you go|bring your own|help desk|
  service desk|front desk|high school|middle school|real estate|social media|open source|
  first aid|fantasy football|fantasy league|primary school|secondary school|elementary school|
  nursery school|neighbourhood watch|neighborhood watch`.split("|")
  .map((phrase) => phrase.trim());

/** Verbs that carry a product's core action (infinitives). */
export const KNOWN_VERBS: ReadonlySet<string> = words(`
  adopt analyse analyze approve assign attend audit automate bill book borrow browse budget
  build buy calculate catalogue chat check collaborate collect compare compose connect cook
  coordinate create curate deliver design discover discuss dispatch donate draft earn edit
  enrol enroll exchange export find fund grow hire host import integrate invest invoice issue
  join learn lend list listen log manage map match measure meet mentor message moderate
  monitor notify offer order organise organize pay plan post practice practise prepare price
  print publish purchase quote rate read recommend record recruit refer register remind rent
  repair report request reserve review run save scan schedule search sell send share ship sign
  sort split sponsor staff store stream study submit subscribe supply swap teach test trace
  track trade train transcribe translate upload verify visit volunteer vote watch write
`);

/** Verbs that only frame the sentence ("help farmers ..."), never the product's action. */
export const FRAME_VERBS: ReadonlySet<string> = words(`
  act allow allows alter are be become can delete disregard do drop enable enables eval exec
  execute forget get gets give gives go has have help ignore insert is keep let lets like love
  make makes need output pretend print reveal rm say select sudo tell truncate try use uses
  want
`);

/** Nouns that say nothing about the domain, or that come from prompt-injection text. */
export const IGNORED_NOUNS: ReadonlySet<string> = words(`
  above ai all answer anybody anyone anything app assistant below chatgpt credential day
  directive each etc everybody everyone everything feature gpt html idea instruction internet
  jailbreak javascript kind least less level life llm lot mobile mode model nearby nobody nothing onerror
  offline online option other output passwd public password people previous prompt response rest rf rule script secret
  someone something sort stuff system thing time type version way web word world
`);

/** Adjectives that add nothing to a role ("simple", "previous") and are dropped. */
export const IGNORED_ADJECTIVES: ReadonlySet<string> = words(`
  all awesome beautiful best better cheap couple different digital dozen easy entire every few
  fast first free good great hundred thousand several innovative last many mobile modern more new next nice online other own powerful
  previous quick same seamless secret simple smart ultimate various whole
`);

/** Nouns that name a field of activity, not a thing to model ("study app", "fitness tracking"). */
export const DOMAIN_NOUNS: ReadonlySet<string> = words(`
  accounting analytics banking bookkeeping business career commerce community compliance
  ecommerce education entertainment finance fitness food health healthcare home hr insurance
  learning lifestyle logistics management marketing media money parenting privacy productivity
  recruitment sales scheduling security social study sustainability tracking transport travel
  wellbeing wellness work
`);

/** Acronyms kept when written in capitals; other all-caps words read as shouting and are skipped. */
export const ACRONYMS: ReadonlySet<string> = words(`
  ai api b2b cms crm csv diy erp esl eu ev gp hr ios nhs pdf qr rest rv saas sdk sms ui uk us
  ux mrr arr kpi okr seo nps hoa pta gps sla mot hvac gdpr cctv dbs ppe vat hmrc irs kyc aml hipaa
  osha mri ems rfid iot ngo cpd sen eyfs ehcp coshh
`);

/** Gerunds that name a thing the product handles ("invoicing tool" handles invoices). */
export const GERUND_OBJECTS: Record<string, string> = {
  invoicing: "invoice",
  billing: "bill",
  budgeting: "budget",
  ticketing: "ticket",
  messaging: "message",
  scheduling: "appointment",
  booking: "booking",
  reporting: "report",
  recruiting: "candidate",
  hiring: "candidate",
  fundraising: "campaign",
  bookkeeping: "transaction",
  journaling: "journal entry",
  blogging: "post",
  podcasting: "episode",
  tutoring: "tutoring session",
  mentoring: "mentoring session",
  ridesharing: "ride",
  carpooling: "ride",
  dating: "match",
  gardening: "garden",
  camping: "campsite",
  catering: "event",
  cooking: "recipe",
  baking: "recipe",
  shopping: "product",
  banking: "account",
  payroll: "payslip",
};
