import type ExcelJS from 'exceljs';

/**
 * exceljs's streaming writer can embed media but has no addImage for a worksheet (only the
 * non-streaming Workbook has), and it cannot draw native charts at all (exceljs#141). So the
 * chart PNGs are placed by hand: a drawing part with one picture per image, a relationship from
 * the sheet to it, `<drawing>` in the sheet XML and the drawing's content type. This reaches into
 * exceljs 4.4.0's writer internals (pinned in package.json); the XLSX test reads the images back.
 */
export interface PlacedImage {
  png: Buffer;
  /** Top-left cell, zero-based. */
  row: number;
  col: number;
  /** Shown size in pixels. */
  width: number;
  height: number;
}

interface ZipLike {
  append(source: string | Buffer, data: { name: string }): unknown;
}
interface WriterInternals {
  zip: ZipLike;
  addImage(image: { buffer: Buffer; extension: 'png' }): number;
  getImage(id: number): { name: string };
}
interface SheetInternals {
  _sheetRelsWriter: { addRelationship(rel: { Type: string; Target: string }): string };
  _writeLegacyData(): void;
  _write(text: string): void;
}

const REL_DRAWING = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing';
const REL_IMAGE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image';
const DRAWING_TYPE = 'application/vnd.openxmlformats-officedocument.drawing+xml';
const EMU_PER_PIXEL = 9525;

function anchor(image: PlacedImage, index: number): string {
  const cx = Math.round(image.width * EMU_PER_PIXEL);
  const cy = Math.round(image.height * EMU_PER_PIXEL);
  return (
    `<xdr:oneCellAnchor><xdr:from><xdr:col>${image.col}</xdr:col><xdr:colOff>0</xdr:colOff>` +
    `<xdr:row>${image.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>` +
    `<xdr:ext cx="${cx}" cy="${cy}"/><xdr:pic><xdr:nvPicPr>` +
    `<xdr:cNvPr id="${index + 2}" name="Chart ${index + 1}"/>` +
    `<xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr>` +
    `<xdr:blipFill><a:blip r:embed="rId${index + 1}"/><a:stretch><a:fillRect/></a:stretch>` +
    `</xdr:blipFill><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/>` +
    `</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>` +
    `<xdr:clientData/></xdr:oneCellAnchor>`
  );
}

/** Call before the sheet is committed; the workbook adds the PNGs to xl/media on commit. */
export function placeImages(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  worksheet: ExcelJS.Worksheet,
  images: PlacedImage[],
  drawingNumber = 1,
): void {
  if (images.length === 0) return;
  const book = workbook as unknown as WriterInternals;
  const sheet = worksheet as unknown as SheetInternals;
  const drawing = `drawing${drawingNumber}`;

  const mediaNames = images.map(
    (image) => book.getImage(book.addImage({ buffer: image.png, extension: 'png' })).name,
  );
  book.zip.append(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"' +
      ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"' +
      ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      images.map(anchor).join('') +
      '</xdr:wsDr>',
    { name: `xl/drawings/${drawing}.xml` },
  );
  book.zip.append(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      mediaNames
        .map(
          (name, i) =>
            `<Relationship Id="rId${i + 1}" Type="${REL_IMAGE}" Target="../media/${name}"/>`,
        )
        .join('') +
      '</Relationships>',
    { name: `xl/drawings/_rels/${drawing}.xml.rels` },
  );

  const rId = sheet._sheetRelsWriter.addRelationship({
    Type: REL_DRAWING,
    Target: `../drawings/${drawing}.xml`,
  });
  // <drawing> belongs right before <legacyDrawing> in CT_Worksheet's sequence.
  const writeLegacyData = sheet._writeLegacyData.bind(sheet);
  sheet._writeLegacyData = () => {
    sheet._write(`<drawing r:id="${rId}"/>`);
    writeLegacyData();
  };

  const append = book.zip.append.bind(book.zip);
  book.zip.append = (source, data) => {
    if (data.name === '[Content_Types].xml' && typeof source === 'string')
      source = source.replace(
        '</Types>',
        `<Override PartName="/xl/drawings/${drawing}.xml" ContentType="${DRAWING_TYPE}"/></Types>`,
      );
    return append(source, data);
  };
}
