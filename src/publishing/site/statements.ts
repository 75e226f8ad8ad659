/**
 * The project's statements (about, EU funding, privacy, accessibility, contact, licence), in
 * Italian and English. They say only what the source article and the design support: the
 * project, its funding line and its people come from the published records; where the source is
 * silent (a contact address, the data controller) the statement says so. Pure.
 */
import { codeLabel } from '../../content/labels/core';
import type { Locale } from '../../content/locales/core';
import { statementPath, type Statement } from '../../content/paths/core';
import { escapeHtml, type Link } from './html';

type Rec = Record<string, any>;

/** What the statements say about the project: its published record in the page's language. */
export interface ProjectFacts {
  project?: Link;
  funding?: Rec;
  /** Funding fields in display order, with their labels. */
  fundingLabels: [string, string][];
  partners: { organization: Link; role: string; website?: string }[];
  coordinator?: { person: Link; jobTitle?: string };
}

interface Helpers {
  link: (link: Link) => string;
  page: (path: string) => string;
  /** The EU emblem with the funding statement. */
  banner: string;
  /** The open-data catalogue, and the API where the site has one. */
  openData: string;
  api?: string;
}

type Text = (facts: ProjectFacts, h: Helpers) => string;

const esc = escapeHtml;

const projectName = (f: ProjectFacts, h: Helpers, fallback: string) => (f.project ? h.link(f.project) : fallback);

/** The funding line, field by field, as the project record gives it. */
const fundingLine = (f: ProjectFacts) =>
  f.funding
    ? `<dl class="facts">${f.fundingLabels
        .filter(([field]) => f.funding![field])
        .map(([field, label]) => `<div><dt>${esc(label)}</dt><dd>${esc(f.funding![field])}</dd></div>`)
        .join('')}</dl>`
    : '';

const partnerList = (f: ProjectFacts, h: Helpers, locale: Locale) =>
  f.partners.length
    ? `<ul class="links">${f.partners
        .map(
          (p) =>
            `<li>${h.link(p.organization)} (${esc(codeLabel('project.partner', 'role', p.role, locale))})${p.website ? ` – <a href="${esc(p.website)}">${esc(p.website)}</a>` : ''}</li>`,
        )
        .join('')}</ul>`
    : '';

const FAMI = {
  it: "Progetto cofinanziato dall'Unione Europea – Fondo Asilo, Migrazione e Integrazione 2014-2020",
  en: 'Project co-funded by the European Union – Asylum, Migration and Integration Fund 2014-2020',
};

/** The date this statement was last reviewed (AgID asks for it). */
const ACCESSIBILITY_REVIEWED = { it: '1 dicembre 2026', en: '1 December 2026' };

export const STATEMENT_TEXTS: Record<Statement, Record<Locale, Text>> = {
  about: {
    it: (
      f,
      h,
    ) => `<p class="summary">La base di conoscenza del progetto ${projectName(f, h, 'Com.In.4.0 – Competenze per l&#39;integrazione')}, finanziato dal Fondo Asilo, Migrazione e Integrazione (FAMI) 2014-2020 in Basilicata. Conserva e rende riutilizzabile, anche dopo la fine del progetto, ciò che il progetto ha prodotto.</p>
<h2>Che cosa contiene</h2>
<p>Buone pratiche, incontri formativi, tavoli tematici, risultati misurati, eventi, enti, persone (solo quelle che hanno dato il consenso alla pubblicazione), territori e temi, in italiano e in inglese. Ogni scheda ha un indirizzo stabile in ciascuna lingua.</p>
<h2>Da dove vengono i contenuti</h2>
<p>I contenuti di partenza vengono dall'articolo sul Final Workshop regionale del progetto. Ogni scheda indica la propria fonte; ciò che la fonte non dice è scritto nella nota sulla fonte, e ciò che la redazione ha dedotto (un anno, un orario, un ruolo) è segnalato come «dedotto» accanto al valore.</p>
<h2>Chi la cura</h2>
<p>I redattori dei partner scrivono le schede; i revisori validano le buone pratiche prima che siano pubblicate. Solo ciò che è pubblicato compare qui.</p>
<h2>Come riusarla</h2>
<p>I contenuti sono riutilizzabili secondo la <a href="${h.page(statementPath('it', 'licence'))}">licenza</a> di ogni scheda, come <a href="${esc(h.openData)}">dati aperti</a> (JSON-LD, CSV, catalogo DCAT-AP_IT)${h.api ? ` e attraverso l'<a href="${esc(h.api)}">API GraphQL</a>` : ''}.</p>`,
    en: (
      f,
      h,
    ) => `<p class="summary">The knowledge base of the project ${projectName(f, h, 'Com.In.4.0 – Skills for integration')}, funded by the Asylum, Migration and Integration Fund (AMIF / FAMI) 2014-2020 in Basilicata. It keeps what the project produced, reusable after the project has ended.</p>
<h2>What it holds</h2>
<p>Good practices, training meetings, thematic tables, measured outcomes, events, organisations, people (only those who consented to publication), territories and themes, in Italian and English. Every record has a stable address in each language.</p>
<h2>Where the content comes from</h2>
<p>The initial content comes from the article on the project's regional Final Workshop. Every record names its source; what the source does not say is written in the note on the source, and what the editors inferred (a year, a time, a role) is marked "inferred" next to the value.</p>
<h2>Who looks after it</h2>
<p>The partners' editors write the records; reviewers validate good practices before they are published. Only what is published appears here.</p>
<h2>How to reuse it</h2>
<p>The content may be reused under each record's <a href="${h.page(statementPath('en', 'licence'))}">licence</a>, as <a href="${esc(h.openData)}">open data</a> (JSON-LD, CSV, DCAT-AP_IT catalogue)${h.api ? ` and through the <a href="${esc(h.api)}">GraphQL API</a>` : ''}.</p>`,
  },
  funding: {
    it: (f, h) => `${h.banner}
<p lang="en">${esc(FAMI.en)}</p>
<p>Il progetto ${projectName(f, h, 'Com.In.4.0')} è finanziato dal Fondo Asilo, Migrazione e Integrazione (FAMI) 2014-2020 dell'Unione Europea. La linea di finanziamento:</p>
${fundingLine(f)}`,
    en: (f, h) => `${h.banner}
<p lang="it">${esc(FAMI.it)}</p>
<p>The project ${projectName(f, h, 'Com.In.4.0')} is funded by the European Union's Asylum, Migration and Integration Fund (AMIF / FAMI) 2014-2020. Its funding line:</p>
${fundingLine(f)}`,
  },
  privacy: {
    it: (_f, h) => `<h2>Le persone nelle schede</h2>
<p>Una persona compare in questa base di conoscenza solo se ha dato il consenso alla pubblicazione: senza consenso la sua scheda resta una bozza privata, e se il consenso viene ritirato la scheda è tolta subito dalla pubblicazione, in tutte le lingue. Di una persona si pubblicano il nome, gli incarichi, una breve nota biografica e la fonte; gli indirizzi e-mail, il consenso stesso e le note della redazione non sono mai pubblicati, né in queste pagine né attraverso l'API o i dati aperti.</p>
<h2>Chi visita il sito</h2>
<p>Queste pagine non usano cookie, non usano strumenti di analisi del traffico e non caricano nulla da altri siti. Per proteggere il servizio il server conta le richieste di ciascun indirizzo IP per un minuto (limite di frequenza) e può registrare le richieste nei registri tecnici.</p>
<h2>I vostri diritti</h2>
<p>Chi compare in una scheda può chiedere di accedere ai propri dati, di correggerli o di ritirare il consenso (articoli 15-22 del Regolamento UE 2016/679). La fonte da cui nasce la base di conoscenza non indica il titolare del trattamento: per esercitare questi diritti rivolgetevi al coordinamento del progetto, come indicato nella pagina <a href="${h.page(statementPath('it', 'contact'))}">Contatti</a>.</p>`,
    en: (_f, h) => `<h2>People in the records</h2>
<p>A person appears in this knowledge base only if they consented to publication: without consent their record stays a private draft, and if consent is withdrawn the record is unpublished at once, in every language. For a person, the name, roles, a short biography and the source are published; e-mail addresses, the consent itself and the editors' notes are never published, not on these pages, nor through the API or the open data.</p>
<h2>Visitors</h2>
<p>These pages set no cookies, use no traffic analytics and load nothing from other sites. To protect the service the server counts the requests of each IP address for one minute (rate limiting) and may record requests in its technical logs.</p>
<h2>Your rights</h2>
<p>Anyone who appears in a record may ask to access their data, to correct it or to withdraw their consent (Articles 15-22 of Regulation (EU) 2016/679). The source this knowledge base starts from does not name the data controller: to exercise these rights, write to the project's coordination as the <a href="${h.page(statementPath('en', 'contact'))}">Contact</a> page says.</p>`,
  },
  accessibility: {
    it: (
      _f,
      h,
    ) => `<p>Il progetto si impegna a rendere accessibile questo sito, conformemente alla legge 9 gennaio 2004, n. 4 e alle Linee guida AgID sull'accessibilità degli strumenti informatici, che rimandano alla norma EN 301 549 (WCAG 2.1, livello AA).</p>
<h2>Stato di conformità</h2>
<p>Il sito è <strong>parzialmente conforme</strong>: non è stata fatta una valutazione completa dei requisiti. Ogni pagina pubblica è costruita con HTML semantico, funziona senza JavaScript e senza risorse di altri siti; la pagina del progetto, le dichiarazioni e le schede sono verificate automaticamente con axe-core nei test del software, che non trovano problemi gravi o critici.</p>
<h2>Contenuti non accessibili</h2>
<p>Non sono noti contenuti non accessibili. La verifica automatica non copre tutti i requisiti (per esempio la chiarezza dei testi e l'adeguatezza delle descrizioni dei documenti allegati), che non sono ancora stati valutati da persone.</p>
<h2>Redazione della dichiarazione</h2>
<p>Dichiarazione redatta il ${ACCESSIBILITY_REVIEWED.it} con un'autovalutazione basata sui test automatici descritti sopra.</p>
<h2>Meccanismo di feedback e contatti</h2>
<p>Per segnalare un problema di accessibilità o chiedere un contenuto in un formato accessibile, usate i riferimenti della pagina <a href="${h.page(statementPath('it', 'contact'))}">Contatti</a>.</p>
<h2>Procedura di attuazione</h2>
<p>In caso di risposta insoddisfacente o di mancata risposta, entro trenta giorni, a una segnalazione o a una richiesta, è possibile inviare una segnalazione al Difensore civico per il digitale dell'<a href="https://www.agid.gov.it/">Agenzia per l'Italia Digitale</a>.</p>`,
    en: (
      _f,
      h,
    ) => `<p>The project is committed to making this site accessible, in accordance with Italian Law no. 4 of 9 January 2004 and AgID's accessibility guidelines, which refer to standard EN 301 549 (WCAG 2.1, level AA).</p>
<h2>Compliance status</h2>
<p>The site is <strong>partially compliant</strong>: no full evaluation of the requirements has been made. Every public page is built with semantic HTML, works without JavaScript and without resources from other sites; the project page, the statements and the record pages are checked automatically with axe-core in the software's tests, which find no serious or critical issues.</p>
<h2>Non-accessible content</h2>
<p>No non-accessible content is known. The automated check does not cover every requirement (for instance the clarity of the texts and the adequacy of the descriptions of attached documents), which people have not yet evaluated.</p>
<h2>Preparation of this statement</h2>
<p>Statement prepared on ${ACCESSIBILITY_REVIEWED.en} by self-assessment, based on the automated tests described above.</p>
<h2>Feedback and contact</h2>
<p>To report an accessibility problem or ask for content in an accessible format, use the details on the <a href="${h.page(statementPath('en', 'contact'))}">Contact</a> page.</p>
<h2>Enforcement procedure</h2>
<p>If a report or request gets an unsatisfactory answer, or no answer within thirty days, you may report it to the Digital Ombudsman (Difensore civico per il digitale) of the <a href="https://www.agid.gov.it/">Agency for Digital Italy (AgID)</a>.</p>`,
  },
  contact: {
    it: (
      f,
      h,
    ) => `<p>La fonte da cui nasce questa base di conoscenza non indica un indirizzo e-mail o un numero di telefono, e qui non ne pubblichiamo.</p>
${f.coordinator ? `<h2>Il coordinamento del progetto</h2><p>${h.link(f.coordinator.person)}${f.coordinator.jobTitle ? `, ${esc(f.coordinator.jobTitle)}` : ''}.</p>` : ''}
${f.partners.length ? `<h2>Gli enti del progetto</h2>${partnerList(f, h, 'it')}` : ''}
<p>Per i contenuti di una scheda rivolgetevi all'ente o alla persona che la scheda indica; per le segnalazioni sull'accessibilità e sui dati personali, al coordinamento del progetto.</p>`,
    en: (f, h) => `<p>The source this knowledge base starts from gives no e-mail address or telephone number, and we publish none here.</p>
${f.coordinator ? `<h2>The project's coordination</h2><p>${h.link(f.coordinator.person)}${f.coordinator.jobTitle ? `, ${esc(f.coordinator.jobTitle)}` : ''}.</p>` : ''}
${f.partners.length ? `<h2>The project's organisations</h2>${partnerList(f, h, 'en')}` : ''}
<p>About a record's content, contact the organisation or person the record names; about accessibility and personal data, the project's coordination.</p>`,
  },
  licence: {
    it: () => `<p>Ogni scheda indica la propria licenza e la propria fonte. Chi riusa i contenuti deve rispettare la licenza della scheda che riusa.</p>
<h2>CC-BY-4.0 – i contenuti del progetto</h2>
<p>I contenuti del progetto Com.In.4.0 sono sotto licenza <a href="https://creativecommons.org/licenses/by/4.0/deed.it">Creative Commons Attribuzione 4.0 Internazionale</a>. Puoi copiarli, ridistribuirli, tradurli, adattarli e usarli per qualsiasi fine, anche commerciale, a condizione di <strong>citare la fonte</strong> (il progetto Com.In.4.0 e la fonte indicata nella scheda), di indicare il link alla licenza e di dire se hai apportato modifiche. Non puoi aggiungere condizioni che impediscano ad altri di fare ciò che la licenza consente.</p>
<h2>CC0-1.0 – i dati sintetici</h2>
<p>Le schede sintetiche (fonte «Synthetic data», identificativi <code>synthetic-…</code>), create solo per le prove di carico, sono dedicate al pubblico dominio con <a href="https://creativecommons.org/publicdomain/zero/1.0/deed.it">CC0 1.0</a>: puoi farne qualsiasi uso senza chiedere permesso e senza citare la fonte. Non descrivono fatti reali.</p>`,
    en: () => `<p>Every record states its own licence and its source. Whoever reuses the content must respect the licence of the record they reuse.</p>
<h2>CC-BY-4.0 – the project's content</h2>
<p>The content of the Com.In.4.0 project is licensed under <a href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International</a>. You may copy, redistribute, translate, adapt and use it for any purpose, commercial ones included, provided that you <strong>give credit</strong> (the Com.In.4.0 project and the source named in the record), link to the licence and say whether you made changes. You may not add terms that stop others from doing what the licence allows.</p>
<h2>CC0-1.0 – synthetic data</h2>
<p>Synthetic records (source "Synthetic data", identifiers <code>synthetic-…</code>), made only for load tests, are dedicated to the public domain with <a href="https://creativecommons.org/publicdomain/zero/1.0/">CC0 1.0</a>: you may use them in any way without asking and without giving credit. They describe no real facts.</p>`,
  },
};
