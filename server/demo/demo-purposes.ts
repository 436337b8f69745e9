import type { Audience, Lang } from '../../db/schema.js';
import type { NoticeText } from '../domain/notice.js';

// The purposes Norwegian kindergartens ask guardians about, with plain-language notices in
// Bokmål, Nynorsk and English. Municipalities edit these to fit their own practice.

export interface DemoPurpose {
  code: string;
  name: Record<Lang, string>;
  audience: Audience;
  guardianRule: 'any' | 'both';
  firstNameQuestion: boolean;
  perOccasion: boolean;
  notice: Record<Lang, Pick<NoticeText, 'what' | 'wherePublished' | 'whoCanSee' | 'retention'>>;
}

const withdrawal: Record<Lang, string> = {
  nb: 'Du kan trekke samtykket tilbake når som helst i Samtykke, med én knapp, eller ved å si fra til barnehagen. Bilder som er publisert, blir tatt ned.',
  nn: 'Du kan trekkje samtykket tilbake når som helst i Samtykke, med éin knapp, eller ved å seie frå til barnehagen. Bilete som er publiserte, blir tekne ned.',
  en: 'You can withdraw your consent at any time in Samtykke with one button, or by telling the kindergarten. Published photos are taken down.',
};

const contact: Record<Lang, string> = {
  nb: 'Styreren i barnehagen, eller personvernombudet i Demo kommune: personvern@demo.no.',
  nn: 'Styraren i barnehagen, eller personvernombodet i Demo kommune: personvern@demo.no.',
  en: 'The head of the kindergarten, or the data protection officer of Demo kommune: personvern@demo.no.',
};

export const noticeTextFor = (p: DemoPurpose, lang: Lang): NoticeText => ({ ...p.notice[lang], withdrawal: withdrawal[lang], contact: contact[lang] });

export const DEMO_PURPOSES: DemoPurpose[] = [
  {
    code: 'internal',
    name: { nb: 'Gruppens vegg og intern dokumentasjon', nn: 'Veggen til gruppa og intern dokumentasjon', en: "The group's wall and internal documentation" },
    audience: 'internal',
    guardianRule: 'any',
    firstNameQuestion: true,
    perOccasion: false,
    notice: {
      nb: {
        what: 'Bilder fra hverdagen og aktiviteter, der barnet ditt kan være med.',
        wherePublished: 'På veggen i barnehagen og i den interne dokumentasjonen av det pedagogiske arbeidet.',
        whoCanSee: 'Barna, de ansatte og foreldrene som er innom barnehagen.',
        retention: 'Bildene tas ned og slettes senest ved slutten av barnehageåret.',
      },
      nn: {
        what: 'Bilete frå kvardagen og aktivitetar, der barnet ditt kan vere med.',
        wherePublished: 'På veggen i barnehagen og i den interne dokumentasjonen av det pedagogiske arbeidet.',
        whoCanSee: 'Barna, dei tilsette og foreldra som er innom barnehagen.',
        retention: 'Bileta blir tekne ned og sletta seinast ved slutten av barnehageåret.',
      },
      en: {
        what: 'Photos of everyday life and activities in which your child may appear.',
        wherePublished: "On the wall in the kindergarten and in the internal documentation of the kindergarten's educational work.",
        whoCanSee: 'The children, the staff and the parents who visit the kindergarten.',
        retention: 'The photos are taken down and deleted at the latest at the end of the kindergarten year.',
      },
    },
  },
  {
    code: 'parent_app',
    name: { nb: 'Foreldreappen og bildegalleriet', nn: 'Foreldreappen og biletgalleriet', en: 'The parent app and photo gallery' },
    audience: 'closed',
    guardianRule: 'any',
    firstNameQuestion: true,
    perOccasion: false,
    notice: {
      nb: {
        what: 'Bilder fra turer, feiringer og aktiviteter i gruppen.',
        wherePublished: 'I bildegalleriet i Samtykke, som bare foreldre i barnehagen kan logge inn i.',
        whoCanSee: 'Foreldre og foresatte til barna i barnehagen, og de ansatte.',
        retention: 'Bildene ligger ute til slutten av barnehageåret og slettes da.',
      },
      nn: {
        what: 'Bilete frå turar, feiringar og aktivitetar i gruppa.',
        wherePublished: 'I biletgalleriet i Samtykke, som berre foreldre i barnehagen kan logge inn i.',
        whoCanSee: 'Foreldre og føresette til barna i barnehagen, og dei tilsette.',
        retention: 'Bileta ligg ute til slutten av barnehageåret og blir då sletta.',
      },
      en: {
        what: 'Photos of outings, celebrations and activities in the group.',
        wherePublished: 'In the photo gallery in Samtykke, which only parents of the kindergarten can sign in to.',
        whoCanSee: 'Parents and guardians of the children in the kindergarten, and the staff.',
        retention: 'The photos stay until the end of the kindergarten year and are then deleted.',
      },
    },
  },
  {
    code: 'website',
    name: { nb: 'Barnehagens side på kommunens nettsted', nn: 'Sida til barnehagen på nettstaden til kommunen', en: "The kindergarten's page on the municipal website" },
    audience: 'public',
    guardianRule: 'both',
    firstNameQuestion: true,
    perOccasion: false,
    notice: {
      nb: {
        what: 'Situasjonsbilder fra aktiviteter, i lav oppløsning. Aldri portretter, aldri fullt navn, aldri stedsinformasjon i bildet.',
        wherePublished: 'På barnehagens side på kommunens nettsted.',
        whoCanSee: 'Alle på internett.',
        retention: 'Bildene ligger ute i inntil ett barnehageår og tas ned med en gang hvis du trekker samtykket.',
      },
      nn: {
        what: 'Situasjonsbilete frå aktivitetar, i låg oppløysing. Aldri portrett, aldri fullt namn, aldri stadinformasjon i biletet.',
        wherePublished: 'På sida til barnehagen på nettstaden til kommunen.',
        whoCanSee: 'Alle på internett.',
        retention: 'Bileta ligg ute i inntil eitt barnehageår og blir tekne ned med ein gong dersom du trekkjer samtykket.',
      },
      en: {
        what: 'Low-resolution pictures of activities. Never portraits, never full names, never location data in the image.',
        wherePublished: "On the kindergarten's page on the municipal website.",
        whoCanSee: 'Anyone on the internet.',
        retention: 'Photos stay up for at most one kindergarten year and are taken down at once if you withdraw consent.',
      },
    },
  },
  {
    code: 'social_media',
    name: { nb: 'Kommunens sosiale medier', nn: 'Dei sosiale media til kommunen', en: "The municipality's social media" },
    audience: 'public',
    guardianRule: 'both',
    firstNameQuestion: false,
    perOccasion: false,
    notice: {
      nb: {
        what: 'Situasjonsbilder fra aktiviteter, i lav oppløsning, uten navn.',
        wherePublished: 'På kommunens offisielle Facebook- og Instagram-sider.',
        whoCanSee: 'Alle på internett. Facebook og Instagram eies av Meta, som behandler bildene etter sine egne vilkår.',
        retention: 'Innlegget slettes når du trekker samtykket, senest innen ett døgn.',
      },
      nn: {
        what: 'Situasjonsbilete frå aktivitetar, i låg oppløysing, utan namn.',
        wherePublished: 'På dei offisielle Facebook- og Instagram-sidene til kommunen.',
        whoCanSee: 'Alle på internett. Facebook og Instagram er eigde av Meta, som handsamar bileta etter sine eigne vilkår.',
        retention: 'Innlegget blir sletta når du trekkjer samtykket, seinast innan eitt døgn.',
      },
      en: {
        what: 'Low-resolution pictures of activities, without names.',
        wherePublished: "On the municipality's official Facebook and Instagram pages.",
        whoCanSee: 'Anyone on the internet. Facebook and Instagram belong to Meta, which processes the photos under its own terms.',
        retention: 'The post is deleted when you withdraw consent, within one day at the latest.',
      },
    },
  },
  {
    code: 'print',
    name: { nb: 'Trykksaker og årbok', nn: 'Trykksaker og årbok', en: 'Printed material and yearbook' },
    audience: 'public',
    guardianRule: 'both',
    firstNameQuestion: true,
    perOccasion: false,
    notice: {
      nb: {
        what: 'Bilder fra året i barnehagen i årboka og i brosjyrer om barnehagen.',
        wherePublished: 'I den trykte årboka og i kommunens brosjyrer.',
        whoCanSee: 'Alle som får årboka eller brosjyren. Et trykt bilde kan ikke kalles tilbake.',
        retention: 'Trykte eksemplarer finnes så lenge noen tar vare på dem; nye opplag lages uten bildet hvis du trekker samtykket.',
      },
      nn: {
        what: 'Bilete frå året i barnehagen i årboka og i brosjyrar om barnehagen.',
        wherePublished: 'I den trykte årboka og i brosjyrane til kommunen.',
        whoCanSee: 'Alle som får årboka eller brosjyren. Eit trykt bilete kan ikkje kallast tilbake.',
        retention: 'Trykte eksemplar finst så lenge nokon tek vare på dei; nye opplag blir laga utan biletet dersom du trekkjer samtykket.',
      },
      en: {
        what: "Photos from the kindergarten year in the yearbook and in brochures about the kindergarten.",
        wherePublished: "In the printed yearbook and the municipality's brochures.",
        whoCanSee: 'Anyone who gets the yearbook or brochure. A printed photo cannot be recalled.',
        retention: 'Printed copies exist as long as someone keeps them; new print runs leave the photo out if you withdraw consent.',
      },
    },
  },
  {
    code: 'press',
    name: { nb: 'Lokalpressen', nn: 'Lokalpressa', en: 'Local press' },
    audience: 'press',
    guardianRule: 'both',
    firstNameQuestion: true,
    perOccasion: true,
    notice: {
      nb: {
        what: 'Bilder tatt av en journalist ved én bestemt anledning, som du får vite om på forhånd.',
        wherePublished: 'I lokalavisa, på papir og på nett.',
        whoCanSee: 'Alle som leser avisa. Avisa er selv ansvarlig for det den publiserer.',
        retention: 'Avisa bestemmer selv hvor lenge saken ligger ute; barnehagen ber om sletting hvis du trekker samtykket.',
      },
      nn: {
        what: 'Bilete tekne av ein journalist ved éi bestemd hending, som du får vite om på førehand.',
        wherePublished: 'I lokalavisa, på papir og på nett.',
        whoCanSee: 'Alle som les avisa. Avisa er sjølv ansvarleg for det ho publiserer.',
        retention: 'Avisa bestemmer sjølv kor lenge saka ligg ute; barnehagen ber om sletting dersom du trekkjer samtykket.',
      },
      en: {
        what: 'Photos taken by a journalist on one named occasion, which you are told about in advance.',
        wherePublished: 'In the local newspaper, in print and online.',
        whoCanSee: 'Anyone who reads the newspaper. The newspaper is responsible for what it publishes.',
        retention: 'The newspaper decides how long the story stays online; the kindergarten asks for deletion if you withdraw consent.',
      },
    },
  },
];

export interface DemoChannel {
  slug: string;
  name: string;
  purpose: string;
  unit: 'Solsikken barnehage' | 'Fjellet skole' | null;
  kind: 'hosted' | 'external';
}

export const DEMO_CHANNELS: DemoChannel[] = [
  { slug: 'solsikken-vegg', name: 'Veggen på Solsikken', purpose: 'internal', unit: 'Solsikken barnehage', kind: 'hosted' },
  { slug: 'solsikken-galleri', name: 'Foreldregalleriet på Solsikken', purpose: 'parent_app', unit: 'Solsikken barnehage', kind: 'hosted' },
  { slug: 'solsikken-nettside', name: 'Solsikken barnehage på kommunens nettsted', purpose: 'website', unit: 'Solsikken barnehage', kind: 'hosted' },
  { slug: 'fjellet-nettside', name: 'Fjellet skole på kommunens nettsted', purpose: 'website', unit: 'Fjellet skole', kind: 'hosted' },
  { slug: 'kommunens-facebook', name: 'Kommunens Facebook-side', purpose: 'social_media', unit: null, kind: 'external' },
  { slug: 'solsikken-arbok', name: 'Årboka for Solsikken', purpose: 'print', unit: 'Solsikken barnehage', kind: 'external' },
  { slug: 'lokalavisa', name: 'Lokalavisa', purpose: 'press', unit: null, kind: 'external' },
];
