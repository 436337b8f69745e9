import type { Lang } from '../../db/schema.js';

/** Demo kommune's guidelines for photos and social media, as staff confirm them. */
export const DEMO_GUIDELINES: Record<Lang, { title: string; body: string }> = {
  nb: {
    title: 'Retningslinjer for bilder og sosiale medier i Demo kommune',
    body: [
      'Vi tar og deler bilder for å vise hverdagen i barnehagen og skolen, aldri for å vise fram enkeltbarn.',
      '1. Del bare bilder av barn som har gyldig samtykke for akkurat den kanalen. Samtykke sjekker du i Samtykke, ikke etter hukommelsen.',
      '2. Bruk situasjonsbilder, ikke portretter. Ta bilder av aktiviteten, gjerne bakfra eller på avstand.',
      '3. Skriv aldri fullt navn på barn i tekst, bildetekst eller alternativ tekst. Fornavn bare der det er samtykke til det.',
      '4. Ta aldri bilder i situasjoner som kan krenke: ved stell, soving, påkledning, gråt, konflikter eller skade.',
      '5. Bruk kommunens utstyr. Private telefoner og private kontoer skal ikke brukes til bilder av barn.',
      '6. Bilder til offentlige kanaler vurderes av leder før de publiseres.',
      '7. Når noen trekker samtykket, fjernes bildet. Du får en oppgave hvis bildet ligger på en kanal utenfor Samtykke.',
      'Spørsmål: spør styreren eller rektoren, eller personvernombudet (personvern@demo.no).',
    ].join('\n\n'),
  },
  nn: {
    title: 'Retningslinjer for bilete og sosiale medium i Demo kommune',
    body: [
      'Vi tek og deler bilete for å vise kvardagen i barnehagen og skulen, aldri for å vise fram einskildbarn.',
      '1. Del berre bilete av barn som har gyldig samtykke for akkurat den kanalen. Samtykke sjekkar du i Samtykke, ikkje etter minnet.',
      '2. Bruk situasjonsbilete, ikkje portrett. Ta bilete av aktiviteten, gjerne bakfrå eller på avstand.',
      '3. Skriv aldri fullt namn på barn i tekst, biletetekst eller alternativ tekst. Førenamn berre der det er samtykke til det.',
      '4. Ta aldri bilete i situasjonar som kan krenkje: ved stell, søvn, påkledning, gråt, konfliktar eller skade.',
      '5. Bruk utstyret til kommunen. Private telefonar og private kontoar skal ikkje brukast til bilete av barn.',
      '6. Bilete til offentlege kanalar blir vurderte av leiar før dei blir publiserte.',
      '7. Når nokon trekkjer samtykket, blir biletet fjerna. Du får ei oppgåve dersom biletet ligg på ein kanal utanfor Samtykke.',
      'Spørsmål: spør styraren eller rektoren, eller personvernombodet (personvern@demo.no).',
    ].join('\n\n'),
  },
  en: {
    title: "Demo kommune's guidelines for photos and social media",
    body: [
      'We take and share photos to show everyday life in the kindergarten and school, never to show off individual children.',
      '1. Only share photos of children with valid consent for exactly that channel. Check consent in Samtykke, not from memory.',
      '2. Use pictures of situations, not portraits. Photograph the activity, preferably from behind or at a distance.',
      '3. Never write a child’s full name in text, captions or alt text. First names only where there is consent for that.',
      '4. Never take photos in situations that could offend: changing, sleeping, dressing, crying, conflicts or injuries.',
      '5. Use the municipality’s equipment. Private phones and private accounts must not be used for photos of children.',
      '6. Photos for public channels are reviewed by a leader before they are published.',
      '7. When someone withdraws consent, the photo is removed. You get a task if the photo is on a channel outside Samtykke.',
      'Questions: ask the head of the kindergarten or school, or the data protection officer (personvern@demo.no).',
    ].join('\n\n'),
  },
};
